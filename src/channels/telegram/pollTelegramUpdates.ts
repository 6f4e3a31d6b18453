import type { Api } from "grammy";
import type { Update } from "grammy/types";
import { abortableSleep } from "../../shared/abortableSleep.ts";
import { log } from "../../shared/log.ts";
import type { UpdatePoller } from "../chat/chatChannelRuntime.ts";
import { TELEGRAM_CHANNEL } from "./telegramApi.ts";

export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

type GrammySignal = Parameters<Api["getUpdates"]>[1];

const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Long polling, for a service without a public address (a laptop). Not grammY's `bot.start()`:
 * each update must be recorded by ChatInbound before Telegram is told it arrived (by asking from
 * the next offset), so a crash loses nothing; and `stop()` must end at once, which aborting the
 * pending getUpdates does. Failures are logged and retried with backoff; they never end the loop.
 */
export class TelegramPoller implements UpdatePoller {
  private running: Promise<void> | null = null;
  private abort = new AbortController();

  constructor(
    private readonly api: Api,
    /** Records the update (synchronously: it must be in the database before the offset moves past it) and starts handling it. */
    private readonly receive: (update: Update) => Promise<void> | void,
    private readonly timeoutSeconds = 25,
  ) {}

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.loop(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    this.running = null;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    // grammY types signals as its polyfill's; it only calls addEventListener on them.
    const apiSignal = signal as unknown as GrammySignal;
    let offset = 0;
    let backoff = FIRST_BACKOFF_MS;
    let webhookCleared = false;
    while (!signal.aborted) {
      try {
        // getUpdates answers 409 while a webhook is set (say, from an earlier run with PUBLIC_URL).
        if (!webhookCleared) webhookCleared = await this.api.deleteWebhook({ drop_pending_updates: false }, apiSignal);
        const updates = await this.api.getUpdates({ offset, timeout: this.timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] }, apiSignal);
        for (const update of updates) {
          await this.receive(update);
          offset = update.update_id + 1;
        }
        backoff = FIRST_BACKOFF_MS;
      } catch (error) {
        if (signal.aborted) break;
        log.error("telegram polling failed; trying again", { channel: TELEGRAM_CHANNEL, waitMs: backoff, error });
        await abortableSleep(backoff, signal);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      }
    }
  }
}
