import type { ChatEvent } from "../chat/chatAdapter.ts";
import type { ZaloUpdate } from "./zaloTypes.ts";

/**
 * A Zalo update as a conversation event. Only private chats with people are conversations: the
 * bot answers no group and no other bot. There is no update_id, so the event name and the message
 * id together identify a resend. Images, stickers and anything else that is not text (messages
 * from protected users arrive only as "unsupported") become `unreadable`: the engine answers those
 * with "please type or choose a number" in the person's language.
 */
export function normalizeZaloUpdate(update: ZaloUpdate): ChatEvent | null {
  const { event_name: eventName, message } = update;
  if (message.chat.chat_type !== "PRIVATE" || message.from.is_bot) return null;
  if (!eventName.startsWith("message.")) return null;
  const base = { updateKey: `${eventName}:${message.message_id}`, userId: message.chat.id };
  if (eventName === "message.text.received") return { ...base, kind: "text", text: message.text ?? "" };
  return { ...base, kind: "unreadable" };
}
