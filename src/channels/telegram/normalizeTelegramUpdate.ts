import type { CallbackQuery, Contact, Message, Update } from "grammy/types";
import { normalizeVietnamPhone } from "../../shared/phone.ts";
import type { ChatEvent } from "../chat/chatAdapter.ts";
import { parseCallbackData } from "./callbackData.ts";

/** Message contents the bot cannot read: answered with "please type or choose", not ignored. */
const UNREADABLE_CONTENT = ["photo", "sticker", "voice", "audio", "video", "video_note", "document", "animation", "location", "venue", "poll", "dice", "story", "game"];

/**
 * A Telegram update as a conversation event, or null for what the bot leaves alone: edited
 * messages, channel posts, groups, other bots, and service messages (a pin, a timer change).
 * Only the sender's own shared contact carries a phone number: a forwarded card of someone
 * else must never identify anyone.
 */
export function normalizeTelegramUpdate(update: Update): ChatEvent | null {
  const updateKey = String(update.update_id);
  if (update.message) return fromMessage(update.message, updateKey);
  if (update.callback_query) return fromCallbackQuery(update.callback_query, updateKey);
  return null;
}

function fromMessage(message: Message, updateKey: string): ChatEvent | null {
  if (message.chat.type !== "private" || !message.from || message.from.is_bot) return null;
  const userId = String(message.chat.id);
  if (typeof message.text === "string") return { updateKey, userId, kind: "text", text: commandAsWord(message.text) };
  if (message.contact) return fromContact(message.contact, message.from.id, updateKey, userId);
  if (UNREADABLE_CONTENT.some((content) => content in message)) return { updateKey, userId, kind: "unreadable" };
  return null;
}

/** "/start campaign42" and "/help@AnSinhBot" are the flows' words "/start" and "/help". */
function commandAsWord(text: string): string {
  const command = /^(\/[A-Za-z0-9_]+)(?:@\w+)?(?:\s|$)/.exec(text);
  return command ? command[1].toLowerCase() : text;
}

function fromContact(contact: Contact, senderId: number, updateKey: string, userId: string): ChatEvent {
  // Someone else's card: answered like an empty answer, so the question is asked again.
  if (contact.user_id !== senderId) return { updateKey, userId, kind: "text", text: "" };
  const phone = normalizeVietnamPhone(contact.phone_number);
  // The person's own number, but not a Vietnamese one: the flow says it is not on the lists.
  return phone.ok ? { updateKey, userId, kind: "contact", phone: phone.e164 } : { updateKey, userId, kind: "contact" };
}

function fromCallbackQuery(query: CallbackQuery, updateKey: string): ChatEvent | null {
  const message = query.message;
  if (!message || message.chat.type !== "private") return null;
  const userId = String(message.chat.id);
  const meta = { callbackQueryId: query.id };
  const pressed = parseCallbackData(query.data);
  // Data the bot never wrote (an older version's buttons): an empty answer re-asks the question.
  if (!pressed) return { updateKey, userId, kind: "text", text: "", meta };
  const text = pressed.kind === "navigation" ? pressed.input : (labelOnButton(message, pressed.number) ?? pressed.number);
  return { updateKey, userId, kind: "text", text, meta };
}

/**
 * The label of the pressed choice button. Old menus stay in the chat with live buttons; sending the
 * label (which the engine matches like a typed label) rather than the bare number means a button
 * pressed on an old menu picks what it says, or is refused, instead of picking whatever has that
 * number on the current screen. The number is used when the label is missing or not unique.
 */
function labelOnButton(message: NonNullable<CallbackQuery["message"]>, number: string): string | null {
  const keyboard = "reply_markup" in message ? message.reply_markup?.inline_keyboard : undefined;
  if (!keyboard) return null;
  const labels = new Map<string, string>();
  for (const button of keyboard.flat()) {
    if (!("callback_data" in button) || typeof button.callback_data !== "string") continue;
    const choice = parseCallbackData(button.callback_data);
    if (choice?.kind !== "choice") continue;
    const prefix = `${choice.number}. `;
    labels.set(choice.number, button.text.startsWith(prefix) ? button.text.slice(prefix.length) : button.text);
  }
  const label = labels.get(number);
  if (!label) return null;
  return [...labels.values()].filter((l) => l === label).length === 1 ? label : null;
}
