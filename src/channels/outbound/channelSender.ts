import Bottleneck from "bottleneck";
import { log } from "../../shared/log.ts";
import { PlatformError } from "../platformError.ts";

export interface SenderLimits {
  /** Messages per second across all chats (Telegram: about 30). */
  perSecond: number;
  /** Messages per second to one chat (Telegram: about 1). */
  perChatPerSecond: number;
  /** Attempts after the first, for rate limits and transient failures. */
  maxRetries: number;
  /** First backoff after a transient failure; doubles each time, up to 30 s. */
  backoffMs: number;
}

const MAX_BACKOFF_MS = 30_000;
/** The share of the configured rate the sender aims at. */
const RATE_HEADROOM = 0.97;

/**
 * Every call the bot makes to a chat platform goes through here: kept within the platform's rate
 * limits (overall and per chat, evenly spaced), retried after a 429 for as long as the platform's
 * `retry_after` says, and after 5xx and network failures with exponential backoff. A blocked
 * recipient or a bad request is not retried. Bottleneck does the scheduling; it can share its
 * limits through Redis when several instances run.
 */
export class ChannelSender {
  private readonly overall: Bottleneck;
  private readonly perChat: Bottleneck.Group;

  constructor(
    readonly channel: string,
    private readonly limits: SenderLimits,
  ) {
    // A little under the limit: calls spaced evenly here still arrive a little bunched after the
    // network, and a platform counting per second would refuse the one that lands early.
    this.overall = new Bottleneck({ minTime: 1000 / (limits.perSecond * RATE_HEADROOM), maxConcurrent: null });
    this.perChat = new Bottleneck.Group({ minTime: Math.ceil(1000 / limits.perChatPerSecond), maxConcurrent: 1 });
    this.perChat.on("created", (limiter) => {
      limiter.chain(this.overall);
      limiter.on("failed", (error, job) => this.retryDelay(error, job.retryCount));
    });
  }

  /** Runs `call` (one platform API call) for `chatId` under the limits, with retries. */
  send<T>(chatId: string, method: string, call: () => Promise<T>): Promise<T> {
    return this.perChat.key(chatId).schedule(() => call().catch((error) => Promise.reject(asPlatformError(error, this.channel, method))));
  }

  /** Milliseconds to wait before trying again, or undefined to give up. */
  private retryDelay(error: unknown, retryCount: number): number | undefined {
    if (!(error instanceof PlatformError) || retryCount >= this.limits.maxRetries) return undefined;
    switch (error.failure) {
      case "rate_limited": {
        const wait = Math.max(1, error.retryAfterSeconds ?? 1) * 1000;
        log.warn("platform rate limit: waiting", { channel: this.channel, method: error.method, waitMs: wait });
        return wait;
      }
      case "transient":
        return Math.min(MAX_BACKOFF_MS, this.limits.backoffMs * 2 ** retryCount);
      default:
        return undefined;
    }
  }

  /** Stops scheduling; calls already waiting are dropped (their updates stay recorded and are retried later). */
  async stop(): Promise<void> {
    await this.overall.stop({ dropWaitingJobs: true });
    for (const limiter of this.perChat.limiters()) await limiter.limiter.stop({ dropWaitingJobs: true });
  }
}

/** A failure from fetch or a platform client, as a PlatformError (network failures are transient). */
export function asPlatformError(error: unknown, channel: string, method: string): PlatformError {
  if (error instanceof PlatformError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PlatformError(channel, method, 0, message);
}
