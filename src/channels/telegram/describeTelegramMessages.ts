import type { TelegramMessage } from "./renderTelegramReply.ts";
import { unescapeHtml } from "./telegramHtml.ts";

/**
 * Telegram messages as a terminal shows them (for `ansinh simulate --channel telegram`): the text
 * as the person reads it, inline buttons as `[ 1. Xem tiền ]` (a row's buttons side by side), and
 * keyboard buttons as `{ Chia sẻ số điện thoại }`, marked when they share the phone number.
 */
export function describeTelegramMessages(messages: TelegramMessage[]): string {
  return messages
    .map((message, index) => {
      const lines = messages.length > 1 ? [`(message ${index + 1} of ${messages.length}, ${unescapeHtml(message.text).length} chars)`] : [];
      lines.push(unescapeHtml(message.text));
      const markup = message.reply_markup;
      if (markup && "inline_keyboard" in markup) {
        for (const row of markup.inline_keyboard) lines.push(row.map((b) => `[ ${b.text} ]`).join(" "));
      } else if (markup && "keyboard" in markup) {
        for (const row of markup.keyboard) {
          lines.push(row.map((b) => (typeof b === "string" ? `{ ${b} }` : `{ ${b.text} }${"request_contact" in b && b.request_contact ? " (shares your phone number)" : ""}`)).join(" "));
        }
      }
      return lines.join("\n");
    })
    .join("\n\n");
}
