import { abortableSleep } from "../../shared/abortableSleep.ts";
import { log } from "../../shared/log.ts";
import type { UpdatePoller } from "../chat/chatChannelRuntime.ts";
import { PlatformError } from "../../domain/outbox/platformError.ts";
import type { ZaloClient } from "./zaloClient.ts";

const MAX_BACKOFF_MS = 30_000;

export interface ZaloPollingOptions {
  /** Seconds Zalo holds a getUpdates call open when nothing is waiting. */
  timeoutSeconds: number;
  /** First wait after a failed call; doubles each time, up to 30 s. */
  backoffMs: number;
}

/**
 * Long polling, for running without a public URL (a laptop, a test). getUpdates returns one update
 * per call and takes no offset; an empty poll ends with 408, which only means "ask again". Any
 * other failure is logged and retried with backoff: the loop never ends on its own. getUpdates does
 * not work while a webhook is registered, so the webhook is deleted first.
 */
export class ZaloPolling implements UpdatePoller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly client: ZaloClient,
    /** Records the update (resolves once it is recorded; the answer follows in the background). */
    private readonly onUpdate: (result: unknown) => Promise<void> | void,
    private readonly options: ZaloPollingOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the poll in flight at once and waits for the loop to finish. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let webhookDeleted = false;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!webhookDeleted) {
          await this.client.deleteWebhook({ signal });
          webhookDeleted = true;
        }
        const result = await this.client.getUpdates({ timeout: this.options.timeoutSeconds }, { signal });
        failures = 0;
        for (const update of updatesIn(result)) await this.onUpdate(update);
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof PlatformError && error.status === 408) {
          failures = 0;
          continue;
        }
        const waitMs = Math.min(MAX_BACKOFF_MS, this.options.backoffMs * 2 ** failures);
        failures += 1;
        log.warn("zalo polling failed; trying again", { error, waitMs, failures });
        await abortableSleep(waitMs, signal);
      }
    }
  }
}

/**
 * getUpdates is documented to return one update; an empty result is treated like a 408 and an
 * array (should a proxy or a future version batch them) is taken one by one rather than refused.
 */
function updatesIn(result: unknown): unknown[] {
  if (result === null || result === undefined) return [];
  if (Array.isArray(result)) return result;
  if (typeof result === "object" && Object.keys(result).length === 0) return [];
  return [result];
}
