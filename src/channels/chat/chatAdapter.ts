import type { ScreenRenderer } from "../../domain/conversationService.ts";
import type { ChannelAdapter } from "../channelAdapter.ts";

/** One message from a chat platform, in the shape every chat channel shares. */
export interface ChatEvent {
  /** Identifies the update for deduplication (Telegram update_id; Zalo event name + message id). */
  updateKey: string;
  /** The chat to answer in: also who the person is on this channel. */
  userId: string;
  kind: "text" | "contact" | "unreadable";
  text?: string;
  /** A phone number the person shared of themselves, already checked as theirs by the adapter (E.164). */
  phone?: string;
  /** The sender's number as the network gives it (SMS): identifies them like a USSD caller's. */
  networkPhone?: string;
  /** What the adapter needs when answering, e.g. Telegram's callback query id. */
  meta?: Record<string, unknown>;
}

/**
 * What a chat channel implements (Botkit's three duties): normalise an incoming update, deliver
 * the rendered answer in the platform's format, and send a message the bot starts itself.
 * The engine and the flows never see the platform.
 */
export interface ChatAdapter<Update, Output> extends ChannelAdapter<Output> {
  readonly channel: string;
  /** The update as a conversation event, or null for updates the bot leaves alone (edits, groups, its own messages). */
  normalize(update: Update): ChatEvent | null;
  readonly renderer: ScreenRenderer<Output>;
  deliver(event: ChatEvent, output: Output): Promise<void>;
  /** Sends text the bot starts itself (an operator's answer, a reminder). */
  notify(userId: string, text: string): Promise<void>;
}
