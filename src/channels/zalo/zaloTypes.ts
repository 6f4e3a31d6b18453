/** The channel name Zalo conversations are stored under. */
export const ZALO_CHANNEL = "zalo";

/** Zalo refuses a sendMessage text longer than this: longer answers are split before sending. */
export const ZALO_TEXT_LIMIT = 2000;

/** The events the Bot Platform documents; any other `message.*` event is treated as unreadable. */
type ZaloEventName =
  | "message.text.received"
  | "message.image.received"
  | "message.sticker.received"
  | "message.unsupported.received"
  | (string & {});

/** One message as Zalo sends it (webhook body or getUpdates result). Ids are strings. */
export interface ZaloMessage {
  message_id: string;
  /** Milliseconds since the epoch. */
  date: number;
  from: { id: string; display_name?: string; is_bot: boolean };
  chat: { id: string; chat_type: "PRIVATE" | "GROUP" | (string & {}) };
  text?: string;
  photo?: string;
  caption?: string;
  sticker?: string;
}

/** An update, unwrapped from the `{ ok, result }` envelope when it came in one. */
export interface ZaloUpdate {
  event_name: ZaloEventName;
  message: ZaloMessage;
}
