import http from "node:http";
import type { AddressInfo } from "node:net";

/** One call the bot made, as the fake Bot API received it, and how it was answered. */
export interface RecordedCall {
  method: string;
  payload: Record<string, any>;
  /** The HTTP status the fake answered with (200, or the failure it was told to give). */
  status: number;
  /** When the request arrived (Date.now()). */
  at: number;
}

/** A failure the fake gives instead of answering normally: Telegram's own error shapes. */
export type FakeFailure =
  | { kind: "rate_limited"; retryAfter: number }
  | { kind: "server_error" }
  | { kind: "blocked" }
  /** The connection is closed without an answer (the call is not taken): recorded with status 0. */
  | { kind: "connection_closed" };

interface FailureRule {
  method: string;
  chatId?: string;
  failure: FakeFailure;
  /** How many more calls fail; Infinity until `recover()`. */
  remaining: number;
}

const LONG_POLL_CAP_MS = 30_000;

/**
 * A local stand-in for the Telegram Bot API on 127.0.0.1: records every call (method, payload),
 * answers like Telegram does, serves getUpdates by long polling from a queue the test fills, and
 * can be told to fail chosen calls with 429 (retry_after), 500, 403 "blocked" or a closed connection.
 */
export class FakeTelegramServer {
  readonly calls: RecordedCall[] = [];
  private readonly rules: FailureRule[] = [];
  private readonly queue: Array<Record<string, any>> = [];
  private readonly pollers = new Set<() => void>();
  private nextMessageId = 1;
  private readonly heldMethods = new Set<string>();
  /** Calls received but not answered (see `hold`): they answer when released or when the fake closes. */
  private readonly heldCalls: Array<() => void> = [];

  private constructor(
    private readonly server: http.Server,
    /** The `apiRoot` to give the bot. */
    readonly apiRoot: string,
    readonly token: string,
  ) {}

  static async start(token = "123:TEST"): Promise<FakeTelegramServer> {
    let fake: FakeTelegramServer | undefined;
    const server = http.createServer((req, res) => void fake!.answer(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeTelegramServer(server, `http://127.0.0.1:${port}`, token);
    return fake;
  }

  /** Makes the next `times` calls of `method` (to `chatId`, if given) fail. */
  fail(method: string, failure: FakeFailure, options: { times?: number; chatId?: string | number } = {}): void {
    this.rules.push({ method, failure, remaining: options.times ?? 1, chatId: options.chatId === undefined ? undefined : String(options.chatId) });
  }

  /** Stops every failure still scheduled: the platform is healthy again. */
  recover(): void {
    this.rules.length = 0;
  }

  /** Leaves calls of `method` unanswered, as a platform that has taken a request and not yet replied, until `releaseHeld()`. */
  hold(method: string): void {
    this.heldMethods.add(method);
  }

  /** How many calls are waiting for an answer. */
  get held(): number {
    return this.heldCalls.length;
  }

  /** Answers every held call, and holds no more. */
  releaseHeld(): void {
    this.heldMethods.clear();
    for (const answer of this.heldCalls.splice(0)) answer();
  }

  /** Queues an update for getUpdates (long polling). */
  pushUpdate(update: Record<string, any>): void {
    this.queue.push(update);
    for (const wake of [...this.pollers]) wake();
  }

  /** Calls of one method, optionally to one chat. */
  callsOf(method: string, chatId?: string | number): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (chatId === undefined || String(c.payload.chat_id) === String(chatId)));
  }

  /** Messages delivered (answered 200) to a chat, in order. */
  delivered(chatId: string | number): RecordedCall[] {
    return this.callsOf("sendMessage", chatId).filter((c) => c.status === 200);
  }

  async close(): Promise<void> {
    this.releaseHeld();
    for (const wake of [...this.pollers]) wake();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? "");
    if (!match || match[1] !== this.token) return send(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const method = match[2];
    const raw = Buffer.concat(chunks).toString("utf8");
    const payload = raw ? (JSON.parse(raw) as Record<string, any>) : {};
    const failure = this.takeFailure(method, payload);
    if (failure?.kind === "connection_closed") {
      this.calls.push({ method, payload, status: 0, at });
      req.socket.destroy();
      return;
    }
    if (failure) {
      const [status, body] = failureAnswer(failure);
      this.calls.push({ method, payload, status, at });
      return send(res, status, body);
    }
    if (this.heldMethods.has(method)) await new Promise<void>((resolve) => this.heldCalls.push(resolve));
    this.calls.push({ method, payload, status: 200, at });
    if (method === "getUpdates") return this.longPoll(req, res, payload);
    return send(res, 200, { ok: true, result: this.result(method, payload) });
  }

  private takeFailure(method: string, payload: Record<string, any>): FakeFailure | null {
    const rule = this.rules.find((r) => r.method === method && r.remaining > 0 && (r.chatId === undefined || r.chatId === String(payload.chat_id)));
    if (!rule) return null;
    rule.remaining -= 1;
    return rule.failure;
  }

  private result(method: string, payload: Record<string, any>): unknown {
    if (method === "sendMessage") {
      return { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(payload.chat_id), type: "private" }, text: payload.text };
    }
    if (method === "getMe") return { id: 123, is_bot: true, first_name: "AnSinh test", username: "ansinh_test_bot" };
    return true;
  }

  /** Like Telegram: updates from `offset` on are answered at once, or the call waits for one (or its timeout). */
  private longPoll(req: http.IncomingMessage, res: http.ServerResponse, payload: Record<string, any>): void {
    const offset = typeof payload.offset === "number" ? payload.offset : 0;
    // Telegram forgets what the bot confirmed by asking from a later offset.
    while (this.queue.length && this.queue[0].update_id < offset) this.queue.shift();
    if (this.queue.length) return send(res, 200, { ok: true, result: this.queue.slice(0, payload.limit ?? 100) });
    const waitMs = Math.min(LONG_POLL_CAP_MS, (payload.timeout ?? 0) * 1000);
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      this.pollers.delete(finish);
      if (!res.writableEnded && !res.destroyed) send(res, 200, { ok: true, result: this.queue.filter((u) => u.update_id >= offset) });
    };
    this.pollers.add(finish);
    timer = setTimeout(finish, waitMs);
    req.socket.once("close", () => {
      clearTimeout(timer);
      this.pollers.delete(finish);
    });
  }
}

function failureAnswer(failure: FakeFailure): [number, unknown] {
  switch (failure.kind) {
    case "rate_limited":
      return [429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${failure.retryAfter}`, parameters: { retry_after: failure.retryAfter } }];
    case "server_error":
      return [500, { ok: false, error_code: 500, description: "Internal Server Error" }];
    case "blocked":
      return [403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }];
    case "connection_closed":
      throw new Error("a closed connection has no answer");
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
