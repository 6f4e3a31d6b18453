import { LOCALES_DIR } from "../../shared/projectPaths.ts";
import { createChatChannelRuntime, type ChatChannelDeps, type ChatChannelRuntime } from "../chat/chatChannelRuntime.ts";
import { ChannelSender } from "../outbound/channelSender.ts";
import { TelegramPoller } from "./pollTelegramUpdates.ts";
import { registerTelegramWebhook } from "./registerTelegramWebhook.ts";
import { createTelegramAdapter } from "./telegramAdapter.ts";
import { createTelegramApi, TELEGRAM_CHANNEL } from "./telegramApi.ts";
import { loadTelegramSentences } from "./telegramSentences.ts";
import { telegramWebhook } from "./telegramWebhook.ts";

/**
 * The Telegram channel, when its token is configured, on the chat-channel runtime. Every API call
 * goes through one ChannelSender, which keeps to the configured rate limits and retries refused calls.
 */
export function createTelegramChannel(deps: ChatChannelDeps): ChatChannelRuntime {
  const { token, apiRoot, webhookSecret, limits } = deps.config.telegram;
  if (!token) throw new Error("TELEGRAM_BOT_TOKEN is not set");
  const sender = new ChannelSender(TELEGRAM_CHANNEL, limits, deps.sharedLimits);
  const api = createTelegramApi(token, apiRoot, sender);
  return createChatChannelRuntime(
    {
      adapter: createTelegramAdapter(api, loadTelegramSentences(LOCALES_DIR)),
      sender,
      webhook: (receive) => telegramWebhook(webhookSecret, receive),
      registerWebhook: (url) => registerTelegramWebhook(api, url, webhookSecret),
      poller: (receive) => new TelegramPoller(api, receive),
    },
    deps,
  );
}
