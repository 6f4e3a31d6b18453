import type { Update } from "grammy/types";
import { log } from "../../shared/log.ts";
import { LOCALES_DIR } from "../../shared/projectPaths.ts";
import { ChatInbound } from "../chat/chatInbound.ts";
import type { ChatChannelDeps, ChatChannelRuntime } from "../chat/chatChannelRuntime.ts";
import { ChannelSender } from "../outbound/channelSender.ts";
import { TelegramPoller } from "./pollTelegramUpdates.ts";
import { registerTelegramWebhook } from "./registerTelegramWebhook.ts";
import { createTelegramAdapter } from "./telegramAdapter.ts";
import { createTelegramApi, TELEGRAM_CHANNEL } from "./telegramApi.ts";
import { loadTelegramSentences } from "./telegramSentences.ts";
import { telegramWebhook } from "./telegramWebhook.ts";

/** How long stop() waits for answers already being handled before the database closes. */
const STOP_GRACE_MS = 5_000;

/**
 * The Telegram channel, when its token is configured: webhook mode when PUBLIC_URL is set, long
 * polling otherwise (so a laptop with only a token works). Every API call goes through one
 * ChannelSender, which keeps to the configured rate limits and retries refused calls.
 */
export function createTelegramChannel(deps: ChatChannelDeps): ChatChannelRuntime {
  const { config } = deps;
  const { token, apiRoot, webhookSecret, limits } = config.telegram;
  if (!token) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  const sender = new ChannelSender(TELEGRAM_CHANNEL, limits, deps.sharedLimits);
  const api = createTelegramApi(token, apiRoot, sender);
  const adapter = createTelegramAdapter(api, loadTelegramSentences(LOCALES_DIR));
  const inbound = new ChatInbound(adapter, deps.conversations, deps.inboundLog, deps.sql, deps.clock);
  const inFlight = new Set<Promise<void>>();

  // Webhook and polling both hand updates here: recorded at once, answered in the background.
  const receive = async (update: Update) => {
    const { handled } = await inbound.receive(update);
    // ChatInbound records failures itself; this keeps a bug from becoming an unhandled rejection and lets stop() wait.
    const tracked = handled.catch((error) => log.error("telegram update handling failed", { channel: TELEGRAM_CHANNEL, error }));
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  };
  const poller = new TelegramPoller(api, receive);
  let stopped: Promise<void> | null = null;

  return {
    channel: TELEGRAM_CHANNEL,
    adapter,
    inbound,
    webhook: telegramWebhook(webhookSecret, receive),
    async start() {
      if (config.publicUrl) {
        await registerTelegramWebhook(api, config.publicUrl, webhookSecret);
      } else {
        poller.start();
        log.info("telegram long polling started (no PUBLIC_URL)", { channel: TELEGRAM_CHANNEL });
      }
    },
    stop() {
      // Once: the service's close() and a test may both stop it, and a Bottleneck stops only once.
      stopped ??= (async () => {
        await poller.stop();
        // Answers being sent get a moment to finish; what is cut short stays recorded for the next start.
        await Promise.race([Promise.all(inFlight), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
        await sender.stop();
      })();
      return stopped;
    },
  };
}
