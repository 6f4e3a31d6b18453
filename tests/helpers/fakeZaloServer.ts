import http from "node:http";
import type { AddressInfo } from "node:net";

/** One call the bot made, as the fake server received it. */
export interface FakeZaloCall {
  method: string;
  token: string;
  payload: Record<string, unknown>;
  /** The HTTP status the fake answered with (0 when it never answered). */
  status: number;
  at: number;
}

/** What the fake answers one call with: an HTTP status and a JSON body, or nothing at all. */
/** An answer, or none: "hang" never answers, "close" closes the connection without one (status stays 0). */
export type FakeAnswer = { status: number; body: unknown } | "hang" | "close";

export const zaloAnswers = {
  rateLimited: (retryAfter: number): FakeAnswer => ({ status: 429, body: { ok: false, error_code: 429, description: "Too many requests", parameters: { retry_after: retryAfter } } }),
  serverError: (): FakeAnswer => ({ status: 500, body: { ok: false, error_code: 500, description: "Internal server error" } }),
  forbidden: (): FakeAnswer => ({ status: 403, body: { ok: false, error_code: 403, description: "Forbidden" } }),
  hang: (): FakeAnswer => "hang",
  close: (): FakeAnswer => "close",
};

export interface FakeZaloServer {
  /** The apiRoot to configure: calls go to `${url}/bot<token>/<method>`. */
  url: string;
  calls: FakeZaloCall[];
  callsTo(method: string): FakeZaloCall[];
  /** Texts the bot sent (answered 200) to one chat, in order. */
  textsTo(chatId: string): string[];
  /** The next calls to `method` get these answers, one each, before the normal answer resumes. */
  answerNext(method: string, ...answers: FakeAnswer[]): void;
  /** Every call to `method` gets `answer` until `recover()`. */
  answerAlways(method: string, answer: FakeAnswer): void;
  recover(): void;
  /** Leaves calls of `method` unanswered, as a platform that has taken a request and not yet replied, until `releaseHeld()`. */
  hold(method: string): void;
  /** How many calls are waiting for an answer (see `hold`). */
  readonly held: number;
  /** Answers every held call, and holds no more. */
  releaseHeld(): void;
  /** Queues an update for getUpdates, which serves one per call (and 408 after a wait when none is queued). */
  pushUpdate(update: unknown): void;
  /** Updates queued and not yet served. */
  pendingUpdates(): number;
  close(): Promise<void>;
}

/**
 * A local stand-in for the Zalo Bot Platform on 127.0.0.1: records every call and answers the way
 * the platform does (the `{ ok, result }` envelope, one update per getUpdates, 408 on an empty poll),
 * or as a test tells it to (429, 500, no answer).
 */
export async function startFakeZaloServer(options: { token: string; emptyPollMs?: number }): Promise<FakeZaloServer> {
  const calls: FakeZaloCall[] = [];
  const scripted = new Map<string, FakeAnswer[]>();
  const always = new Map<string, FakeAnswer>();
  const updates: unknown[] = [];
  const waitingPolls = new Set<() => void>();
  const heldMethods = new Set<string>();
  const heldCalls: Array<() => void> = [];
  let messageNumber = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
      let payload: Record<string, unknown> = {};
      try {
        payload = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      } catch {
        payload = { unparseable: true };
      }
      const call: FakeZaloCall = { method: match?.[2] ?? req.url ?? "", token: match?.[1] ?? "", payload, status: 0, at: Date.now() };
      calls.push(call);
      const send = (answer: FakeAnswer) => {
        if (answer === "hang") return;
        if (answer === "close") {
          req.socket.destroy();
          return;
        }
        call.status = answer.status;
        res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
      };
      if (!match || req.method !== "POST") return send({ status: 404, body: { ok: false, error_code: 404, description: "Not found" } });
      if (match[1] !== options.token) return send({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
      const override = scripted.get(call.method)?.shift() ?? always.get(call.method);
      if (override) return send(override);
      if (heldMethods.has(call.method)) await new Promise<void>((resolve) => heldCalls.push(resolve));
      if (call.method === "getUpdates") return poll(Number(payload.timeout ?? 30), send, res);
      send({ status: 200, body: { ok: true, result: normalAnswer(call.method, payload) } });
    });
  });

  function normalAnswer(method: string, payload: Record<string, unknown>): unknown {
    switch (method) {
      case "getMe":
        return { id: "9001", account_name: "bot.ansinh", account_type: "BASIC", can_join_groups: false };
      case "sendMessage":
      case "sendPhoto":
        messageNumber += 1;
        return { message_id: `sent-${messageNumber}`, date: Date.now() };
      case "getWebhookInfo":
        return { url: "", updated_at: Date.now() };
      case "setWebhook":
        return { url: payload.url, updated_at: Date.now() };
      default:
        return true;
    }
  }

  /** Answers at once when an update is queued; otherwise holds the call like the real long poll. */
  function poll(timeoutSeconds: number, send: (answer: FakeAnswer) => void, res: http.ServerResponse) {
    const serve = () => {
      if (!updates.length) return false;
      send({ status: 200, body: { ok: true, result: updates.shift() } });
      return true;
    };
    if (serve()) return;
    const timer = setTimeout(() => {
      waitingPolls.delete(wake);
      send({ status: 408, body: { ok: false, error_code: 408, description: "Request timeout" } });
    }, Math.min(timeoutSeconds * 1000, options.emptyPollMs ?? 500));
    const wake = () => {
      if (serve()) {
        clearTimeout(timer);
        waitingPolls.delete(wake);
      }
    };
    waitingPolls.add(wake);
    res.on("close", () => {
      clearTimeout(timer);
      waitingPolls.delete(wake);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    textsTo: (chatId) => calls.filter((c) => c.method === "sendMessage" && c.status === 200 && c.payload.chat_id === chatId).map((c) => String(c.payload.text)),
    answerNext(method, ...answers) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...answers]);
    },
    answerAlways(method, answer) {
      always.set(method, answer);
    },
    recover() {
      always.clear();
      scripted.clear();
    },
    pushUpdate(update) {
      updates.push(update);
      for (const wake of [...waitingPolls]) wake();
    },
    pendingUpdates: () => updates.length,
    hold(method) {
      heldMethods.add(method);
    },
    get held() {
      return heldCalls.length;
    },
    releaseHeld() {
      heldMethods.clear();
      for (const answer of heldCalls.splice(0)) answer();
    },
    async close() {
      for (const answer of heldCalls.splice(0)) answer();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Polls `check` until it holds (or throws with `what` after the deadline): tests wait for effects, not for fixed sleeps. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
