import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { log } from "../../shared/log.ts";
import { PlatformError } from "../../domain/outbox/platformError.ts";

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

/** Limits kept in Redis, shared by every instance of a deployment (REDIS_URL). */
export interface SharedLimits {
  /** A new connection for this sender's limiters: Bottleneck closes it when the sender stops. */
  connect(): Redis;
  /** Starts this deployment's keys: `b_<prefix>:<channel>:all_…` and `b_<prefix>:<channel>:chat-<chat id>_…`. */
  keyPrefix: string;
}

const MAX_BACKOFF_MS = 30_000;
/** How long stop() waits for calls already being made. */
const STOP_WAIT_MS = 2_000;
/** The share of the configured rate the sender aims at. */
const RATE_HEADROOM = 0.97;
/**
 * How long a call may hold its chat's slot. In Redis mode the slot is shared: an instance killed
 * in the middle of a call never gives it back, and the other instances' messages to that chat
 * would wait for it for ever. Bottleneck frees a slot whose job ran longer than this (its own
 * advice for clusters). Longer than any platform call may take (Zalo 10 s, Telegram 40 s, both
 * with their own timeouts), so a live call is never cut short by it.
 */
const JOB_EXPIRATION_MS = 60_000;

/**
 * Every call the bot makes to a chat platform goes through here: kept within the platform's rate
 * limits (overall and per chat, evenly spaced), retried after a 429 for as long as the platform's
 * `retry_after` says, and after 5xx and network failures with exponential backoff. A blocked
 * recipient or a bad request is not retried. Bottleneck does the scheduling. With `shared`, the
 * limits hold for the whole deployment: Bottleneck keeps their state in Redis (its clustering),
 * so several instances together stay within them; without, each process keeps its own.
 */
export class ChannelSender {
  private readonly overall: Bottleneck;
  private readonly perChat: Bottleneck.Group;
  private readonly connection: Bottleneck.IORedisConnection | null = null;

  constructor(
    readonly channel: string,
    private readonly limits: SenderLimits,
    shared: SharedLimits | null = null,
  ) {
    // A little under the limit: calls spaced evenly here still arrive a little bunched after the
    // network, and a platform counting per second would refuse the one that lands early.
    const overall = { minTime: 1000 / (limits.perSecond * RATE_HEADROOM), maxConcurrent: null };
    const perChat = { minTime: Math.ceil(1000 / limits.perChatPerSecond), maxConcurrent: 1 };
    let cluster = (_part: string): Bottleneck.ConstructorOptions => ({});
    if (shared) {
      const connection = new Bottleneck.IORedisConnection({ client: shared.connect(), Redis });
      connection.on("error", (error) => log.warn("rate limiter: Redis error", { channel, reason: error instanceof Error ? error.message : String(error) }));
      this.connection = connection;
      // clearDatastore false: an instance starting must not wipe the state the running ones share.
      cluster = (part) => ({ datastore: "ioredis", connection, id: `${shared.keyPrefix}:${channel}:${part}`, clearDatastore: false });
    }
    this.overall = new Bottleneck({ ...overall, ...cluster("all") });
    this.perChat = new Bottleneck.Group({ ...perChat, ...cluster("chat") });
    // In Redis the first limiter's settings stay until changed: ours replace them, so a changed
    // rate takes effect at the next start (every instance should be configured alike).
    if (shared) this.settle(this.overall.updateSettings(overall));
    this.perChat.on("created", (limiter) => {
      if (shared) this.settle(limiter.updateSettings(perChat));
      limiter.chain(this.overall);
      limiter.on("failed", (error, job) => this.retryDelay(error, job.retryCount));
      limiter.on("error", (error) => log.warn("rate limiter error", { channel, reason: error instanceof Error ? error.message : String(error) }));
    });
  }

  /** updateSettings returns a promise (its typings say otherwise); a failure is logged, not thrown. */
  private settle(update: unknown): void {
    void Promise.resolve(update).catch((error) => log.warn("rate limiter settings not stored in Redis", { channel: this.channel, reason: (error as Error).message }));
  }

  /** Runs `call` (one platform API call) for `chatId` under the limits, with retries. */
  send<T>(chatId: string, method: string, call: () => Promise<T>): Promise<T> {
    return this.perChat.key(chatId).schedule({ expiration: JOB_EXPIRATION_MS }, () => call().catch((error) => Promise.reject(asPlatformError(error, this.channel, method))));
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

  /**
   * Stops scheduling; calls already waiting are dropped (their updates stay recorded and are retried
   * later). Bottleneck's stop waits for the calls being made, which a platform that does not answer
   * would make forever: after STOP_WAIT_MS they are left to end with the process.
   */
  async stop(): Promise<void> {
    const limiters = [this.overall, ...this.perChat.limiters().map((l) => l.limiter)];
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)));
    await Promise.race([Promise.all(limiters.map((limiter) => limiter.stop({ dropWaitingJobs: true }))), waited]);
    clearTimeout(timer);
    if (this.connection) {
      // The shared state stays in Redis for the other instances; only this sender's connections close.
      for (const limiter of limiters) await limiter.disconnect();
      await this.connection.disconnect();
    }
  }
}

/** A failure from fetch or a platform client, as a PlatformError (network failures are transient). */
export function asPlatformError(error: unknown, channel: string, method: string): PlatformError {
  if (error instanceof PlatformError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PlatformError(channel, method, 0, message);
}
