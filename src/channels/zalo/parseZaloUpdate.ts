import type { ZaloMessage, ZaloUpdate } from "./zaloTypes.ts";

export type ParsedZaloUpdate = { ok: true; update: ZaloUpdate } | { ok: false; reason: string };

/**
 * Checks a webhook body or a getUpdates result and returns the update unwrapped. The documentation
 * shows `{ ok: true, result: { event_name, message } }`, some clients see `{ event_name, message }`:
 * both are accepted. Anything else is refused with a reason that names the field and never quotes
 * its value (a message may hold a citizen ID).
 */
export function parseZaloUpdate(body: unknown): ParsedZaloUpdate {
  try {
    return { ok: true, update: readUpdate(body) };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, reason: error.message };
    throw error;
  }
}

class ShapeError extends Error {}

function readUpdate(body: unknown): ZaloUpdate {
  let update = object(body, "body");
  if ("result" in update || "ok" in update) {
    if (update.ok !== true) throw new ShapeError("ok must be true in a wrapped update");
    update = object(update.result, "result");
  }
  const eventName = string(update.event_name, "event_name");
  if (!/^[a-z_]+(\.[a-z_]+)+$/.test(eventName)) throw new ShapeError("event_name is not an event name");
  const message = readMessage(object(update.message, "message"));
  if (eventName === "message.text.received" && message.text === undefined) throw new ShapeError("message.text is required for message.text.received");
  return { event_name: eventName, message };
}

function readMessage(message: Record<string, unknown>): ZaloMessage {
  const from = object(message.from, "message.from");
  const chat = object(message.chat, "message.chat");
  const date = message.date;
  if (typeof date !== "number" || !Number.isFinite(date)) throw new ShapeError(date === undefined ? "message.date is required" : "message.date must be a number");
  return {
    message_id: id(message.message_id, "message.message_id"),
    date,
    from: {
      id: id(from.id, "message.from.id"),
      display_name: optionalString(from.display_name, "message.from.display_name"),
      is_bot: boolean(from.is_bot, "message.from.is_bot"),
    },
    chat: { id: id(chat.id, "message.chat.id"), chat_type: string(chat.chat_type, "message.chat.chat_type") },
    text: optionalString(message.text, "message.text"),
    photo: optionalString(message.photo, "message.photo"),
    caption: optionalString(message.caption, "message.caption"),
    sticker: optionalString(message.sticker, "message.sticker"),
  };
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) throw new ShapeError(`${field} is required`);
  if (typeof value !== "object" || Array.isArray(value)) throw new ShapeError(`${field} must be an object`);
  return value as Record<string, unknown>;
}

function string(value: unknown, field: string): string {
  if (value === undefined || value === null) throw new ShapeError(`${field} is required`);
  if (typeof value !== "string") throw new ShapeError(`${field} must be a string`);
  return value;
}

/** Zalo's ids are strings; a number here means the body did not come from Zalo (and would lose digits). */
function id(value: unknown, field: string): string {
  const text = string(value, field);
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(text)) throw new ShapeError(`${field} is not an id`);
  return text;
}

function optionalString(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : string(value, field);
}

function boolean(value: unknown, field: string): boolean {
  if (value === undefined || value === null) throw new ShapeError(`${field} is required`);
  if (typeof value !== "boolean") throw new ShapeError(`${field} must be true or false`);
  return value;
}
