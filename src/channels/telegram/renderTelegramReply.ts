import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from "grammy/types";
import type { ScreenRenderer } from "../../domain/conversationService.ts";
import type { Reply } from "../../engine/types.ts";
import { replyAsText } from "../chat/chatText.ts";
import { splitMessage } from "../chat/splitMessage.ts";
import { BACK_DATA, choiceData, HOME_DATA } from "./callbackData.ts";
import { escapeHtml } from "./telegramHtml.ts";
import type { TelegramSentences } from "./telegramSentences.ts";

/** Telegram's limit on a message's text, counted after the HTML is parsed. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** One sendMessage, in Telegram's own field names: the output stored with the session and sent as is. */
export interface TelegramMessage {
  /** HTML (parse_mode HTML) whose every character of data is escaped. */
  text: string;
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;
}

/**
 * A screen as Telegram messages. Choices become inline buttons (one a row, numbered like on USSD
 * so typing "2" or the label works as well), with a row for back and main menu. A screen that
 * asks for text shows the navigation as a line instead, and either offers the "share my phone
 * number" keyboard or removes that keyboard, which would otherwise stay after the question it
 * belonged to. Text is split before escaping, so a cut can never fall inside "&amp;"; buttons go
 * on the last part, under the text they answer.
 */
export function renderTelegramReply(reply: Reply, sentences: TelegramSentences): TelegramMessage[] {
  const hasButtons = reply.choices.length > 0;
  const text = replyAsText(reply, { numberedChoices: false, navigation: !hasButtons }) || replyAsText(reply, { numberedChoices: true, navigation: true }) || "…";
  const parts = splitMessage(text, TELEGRAM_TEXT_LIMIT);
  const markup = hasButtons ? inlineKeyboard(reply) : reply.offerContact ? contactKeyboard(sentences) : { remove_keyboard: true as const };
  return parts.map((part, index) => (index === parts.length - 1 ? { text: escapeHtml(part), reply_markup: markup } : { text: escapeHtml(part) }));
}

/** A message the bot starts itself (a reminder, a notice), as the Telegram messages it goes out in: plain text, no parse mode. */
export function telegramNoticeParts(text: string): string[] {
  return splitMessage(text, TELEGRAM_TEXT_LIMIT);
}

/** The renderer ConversationService uses for Telegram: chats scroll, so a screen is never paged. */
export function telegramRenderer(sentencesFor: (reply: Reply) => TelegramSentences): ScreenRenderer<TelegramMessage[]> {
  return { render: (reply) => ({ output: renderTelegramReply(reply, sentencesFor(reply)), pages: 1 }) };
}

function inlineKeyboard(reply: Reply): InlineKeyboardMarkup {
  // Button text is shown as is (Telegram parses no HTML there): no escaping.
  const rows: InlineKeyboardButton[][] = reply.choices.map((c) => [{ text: `${c.number}. ${c.label}`, callback_data: choiceData(c.number) }]);
  // Where there is no way back (the main menu itself, a first question) a main-menu button would
  // only redraw the same screen: the row appears only when back leads somewhere.
  if (reply.canGoBack && !reply.end) {
    rows.push([
      { text: `0. ${reply.nav.back}`, callback_data: BACK_DATA },
      { text: `00. ${reply.nav.home}`, callback_data: HOME_DATA },
    ]);
  }
  return { inline_keyboard: rows };
}

function contactKeyboard(sentences: TelegramSentences): ReplyKeyboardMarkup {
  return { keyboard: [[{ text: sentences.sharePhone, request_contact: true }]], resize_keyboard: true, one_time_keyboard: true };
}
