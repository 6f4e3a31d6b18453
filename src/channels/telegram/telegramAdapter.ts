import type { Api } from "grammy";
import type { Update } from "grammy/types";
import type { Reply } from "../../engine/types.ts";
import { log } from "../../shared/log.ts";
import type { ChatAdapter, ChatEvent } from "../chat/chatAdapter.ts";
import { normalizeTelegramUpdate } from "./normalizeTelegramUpdate.ts";
import { telegramNoticeParts, telegramRenderer, type TelegramMessage } from "./renderTelegramReply.ts";
import { TELEGRAM_CHANNEL } from "./telegramApi.ts";
import type { TelegramSentences } from "./telegramSentences.ts";

/** Telegram as a chat channel: its updates in, its messages and buttons out. */
export function createTelegramAdapter(api: Api, sentencesFor: (reply: Reply) => TelegramSentences): ChatAdapter<Update, TelegramMessage[]> {
  return {
    channel: TELEGRAM_CHANNEL,
    normalize: normalizeTelegramUpdate,
    renderer: telegramRenderer(sentencesFor),

    async deliver(event: ChatEvent, output: TelegramMessage[]) {
      const callbackQueryId = event.meta?.callbackQueryId;
      if (typeof callbackQueryId === "string") {
        // Stops the button's spinner. Failing here (a query older than Telegram keeps, when an
        // update is handled again later) must not fail the answer itself.
        await api.answerCallbackQuery(callbackQueryId).catch((error) => log.warn("could not answer a button press", { channel: TELEGRAM_CHANNEL, error }));
      }
      // In order, one after another: the per-chat limit spaces them, and the buttons come last.
      for (const message of output) {
        await api.sendMessage(event.userId, message.text, {
          parse_mode: "HTML",
          reply_markup: message.reply_markup,
          link_preview_options: { is_disabled: true },
        });
      }
    },

    async notify(userId: string, text: string) {
      // Plain text, no parse mode: nothing to escape.
      for (const part of telegramNoticeParts(text)) await api.sendMessage(userId, part, { link_preview_options: { is_disabled: true } });
    },
  };
}
