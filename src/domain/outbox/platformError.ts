/**
 * A chat platform's refusal or failure, classified the way retrying needs it:
 * - rate_limited: 429; wait `retryAfterSeconds` and try again
 * - transient: 5xx, a timeout or a dropped connection; try again with backoff
 * - blocked: the person blocked the bot (Telegram 403); never retry, mark them unreachable
 * - permanent: any other 4xx; retrying cannot help
 * The channels throw it and the outbox decides on it; it lives here, beside the outbox, because
 * channels may import the domain but the domain imports no channel.
 */
export type PlatformFailure = "rate_limited" | "transient" | "blocked" | "permanent";

export class PlatformError extends Error {
  constructor(
    readonly channel: string,
    readonly method: string,
    /** HTTP status or the platform's error_code; 0 for a network failure. */
    readonly status: number,
    description: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${channel} ${method} failed (${status || "network"}): ${description}`);
    this.name = "PlatformError";
  }

  get failure(): PlatformFailure {
    if (this.status === 429) return "rate_limited";
    if (this.status === 0 || this.status >= 500 || this.status === 408) return "transient";
    if (this.status === 403) return "blocked";
    return "permanent";
  }
}
