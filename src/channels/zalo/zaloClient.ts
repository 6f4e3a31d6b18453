import { PlatformError } from "../../domain/outbox/platformError.ts";
import { ZALO_CHANNEL, ZALO_TEXT_LIMIT } from "./zaloTypes.ts";

export interface ZaloClientOptions {
  token: string;
  /** e.g. https://bot-api.zaloplatforms.com (a local fake server in tests). */
  apiRoot: string;
  /** How long one call may take before it counts as a network failure. */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Aborts the call early (polling stops). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ZaloBotInfo {
  id: string;
  account_name: string;
  account_type: string;
  can_join_groups: boolean;
}

export interface ZaloSentMessage {
  message_id: string;
  /** Milliseconds since the epoch. */
  date: number;
}

export interface ZaloWebhookInfo {
  url: string;
  updated_at: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** getUpdates holds the request up to its own `timeout`; give the answer this long on top of that. */
const POLL_GRACE_MS = 10_000;

/**
 * A small typed client for the Zalo Bot Platform (no maintained SDK exists). Every call is a JSON
 * POST to `<apiRoot>/bot<token>/<method>` answered with `{ ok, result }`; any refusal becomes a
 * PlatformError carrying the platform's error_code (or the HTTP status) so the sender knows whether
 * to retry. The token is part of every URL: it is scrubbed from every error this client raises.
 */
export class ZaloClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: ZaloClientOptions) {
    this.base = `${options.apiRoot.replace(/\/+$/, "")}/bot${options.token}`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  getMe(options?: CallOptions): Promise<ZaloBotInfo> {
    return this.call("getMe", {}, options);
  }

  /** Long poll: ONE update (not an array), or a 408 PlatformError when nothing arrived in time. */
  getUpdates(params: { timeout: number }, options?: CallOptions): Promise<unknown> {
    return this.call("getUpdates", { timeout: String(params.timeout) }, { timeoutMs: params.timeout * 1000 + POLL_GRACE_MS, ...options });
  }

  setWebhook(params: { url: string; secret_token: string }, options?: CallOptions): Promise<unknown> {
    return this.call("setWebhook", params, options);
  }

  deleteWebhook(options?: CallOptions): Promise<unknown> {
    return this.call("deleteWebhook", {}, options);
  }

  getWebhookInfo(options?: CallOptions): Promise<ZaloWebhookInfo> {
    return this.call("getWebhookInfo", {}, options);
  }

  /** Text must be 1 to 2000 characters: callers split first (a longer text is refused here, never cut). */
  async sendMessage(params: { chat_id: string; text: string }, options?: CallOptions): Promise<ZaloSentMessage> {
    checkTextLength("sendMessage", params.text, 1);
    return this.call("sendMessage", params, options);
  }

  async sendPhoto(params: { chat_id: string; photo: string; caption?: string }, options?: CallOptions): Promise<ZaloSentMessage> {
    if (params.caption !== undefined) checkTextLength("sendPhoto", params.caption, 0);
    return this.call("sendPhoto", params, options);
  }

  sendChatAction(params: { chat_id: string; action: "typing" }, options?: CallOptions): Promise<unknown> {
    return this.call("sendChatAction", params, options);
  }

  private async call<T>(method: string, payload: object, options: CallOptions = {}): Promise<T> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(`${this.base}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal,
      });
      body = await response.json().catch(() => undefined);
    } catch (error) {
      // Status 0: a network failure or a timeout, which the sender retries with backoff.
      const reason = timeout.aborted ? `no answer within ${options.timeoutMs ?? this.timeoutMs} ms` : describeNetworkError(error);
      throw this.error(method, 0, reason);
    }
    const envelope = isRecord(body) ? body : null;
    if (envelope?.ok === true && response.ok) return envelope.result as T;
    if (envelope && envelope.ok === false) {
      const code = typeof envelope.error_code === "number" ? envelope.error_code : response.status;
      const description = typeof envelope.description === "string" ? envelope.description : response.statusText;
      throw this.error(method, code, description, retryAfter(envelope, response));
    }
    if (!response.ok) throw this.error(method, response.status, response.statusText || "HTTP error", retryAfter(envelope, response));
    // A 2xx that is not the platform's envelope (a proxy's page): worth another try.
    throw this.error(method, 0, "the answer was not a Zalo envelope");
  }

  private error(method: string, status: number, description: string, retryAfterSeconds?: number): PlatformError {
    return new PlatformError(ZALO_CHANNEL, method, status, this.scrub(description), retryAfterSeconds);
  }

  /** The token must never reach a log line: errors from fetch can quote the URL it is in. */
  private scrub(text: string): string {
    return this.options.token ? text.split(this.options.token).join("<token>") : text;
  }
}

function checkTextLength(method: string, text: string, min: number): void {
  if (text.length < min || text.length > ZALO_TEXT_LIMIT) {
    // Status 400, as Zalo would answer: a permanent refusal the sender does not retry.
    throw new PlatformError(ZALO_CHANNEL, method, 400, `text must be ${min} to ${ZALO_TEXT_LIMIT} characters (got ${text.length}); split it before sending`);
  }
}

function retryAfter(envelope: Record<string, unknown> | null, response: Response): number | undefined {
  const parameters = envelope?.parameters;
  if (isRecord(parameters) && typeof parameters.retry_after === "number") return parameters.retry_after;
  const header = Number(response.headers.get("retry-after"));
  return Number.isFinite(header) && header > 0 ? header : undefined;
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = isRecord(cause) && typeof cause.code === "string" ? ` (${cause.code})` : "";
  return `${error.message}${code}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
