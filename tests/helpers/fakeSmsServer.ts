import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request a fake SMS provider received, and the HTTP status it answered. */
export interface SmsCall {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The form fields or JSON body. */
  body: Record<string, any>;
  status: number;
  at: number;
}

/** What the fake does instead of accepting: an HTTP error, a dropped connection, or a provider-level refusal (200 with a failure body). */
export type SmsFakeFailure = { kind: "http"; status: number } | { kind: "connection_closed" } | { kind: "refused"; body: Record<string, any> };

/**
 * What both fake providers share: a server on 127.0.0.1 that records each call, fails the calls it
 * is told to, and can hold answers. Each provider's fake says how it answers (`accept`).
 */
export abstract class FakeSmsServer {
  readonly calls: SmsCall[] = [];
  private readonly failures: SmsFakeFailure[] = [];
  private holding = false;
  private readonly heldCalls: Array<() => void> = [];
  private server!: http.Server;
  apiRoot = "";
  /** Calls answered per second at most; over it the fake answers 429 (a provider's limit). */
  limitPerSecond = Infinity;

  protected async listen(): Promise<this> {
    this.server = http.createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.apiRoot = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next `times` sends fail this way. */
  fail(failure: SmsFakeFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(failure);
  }

  /** Sends the fake accepted (the messages a phone would get). */
  get accepted(): SmsCall[] {
    return this.calls.filter((c) => c.status === 200 && this.wasAccepted(c));
  }

  /** Leaves sends unanswered, as a provider that has taken a request and not yet replied, until `releaseHeld()`. */
  hold(): void {
    this.holding = true;
  }

  /** How many sends are waiting for an answer (see `hold`). */
  get held(): number {
    return this.heldCalls.length;
  }

  /** Answers every held send, and holds no more. */
  releaseHeld(): void {
    this.holding = false;
    for (const release of this.heldCalls.splice(0)) release();
  }

  async close(): Promise<void> {
    this.releaseHeld();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  protected abstract readonly sendPath: string;
  /** The HTTP status of an accepted send (Africa's Talking answers 201). */
  protected readonly okStatus: number = 200;
  protected abstract checkCredentials(headers: http.IncomingHttpHeaders, body: Record<string, any>): boolean;
  /** The provider's answer to an accepted send. */
  protected abstract accept(body: Record<string, any>): Record<string, any>;
  protected abstract wasAccepted(call: SmsCall): boolean;

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const body = (req.headers["content-type"] ?? "").includes("json") ? (JSON.parse(raw || "{}") as Record<string, any>) : Object.fromEntries(new URLSearchParams(raw));
    const call: SmsCall = { path: req.url ?? "", headers: req.headers, body, status: 200, at };
    this.calls.push(call);
    if (req.method !== "POST" || req.url !== this.sendPath) return this.reply(res, call, 404, { error: "not found" });
    if (!this.checkCredentials(req.headers, body)) return this.reply(res, call, 401, { error: "bad credentials" });
    const second = this.calls.filter((c) => c.status !== 429 && c.at > at - 1000).length;
    if (second > this.limitPerSecond) return this.reply(res, call, 429, { error: "too many requests" });
    if (this.holding) await new Promise<void>((resolve) => this.heldCalls.push(resolve));
    const failure = this.failures.shift();
    if (failure?.kind === "connection_closed") {
      call.status = 0;
      req.socket.destroy();
      return;
    }
    if (failure?.kind === "http") return this.reply(res, call, failure.status, { error: "failure" });
    if (failure?.kind === "refused") return this.reply(res, call, 200, failure.body);
    return this.reply(res, call, 200, this.accept(body));
  }

  private reply(res: http.ServerResponse, call: SmsCall, status: number, body: unknown): void {
    call.status = status;
    (call as SmsCall & { answer?: unknown }).answer = body;
    res.writeHead(status === 200 ? this.okStatus : status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }
}
