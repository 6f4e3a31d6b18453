import type { ScreenRenderer } from "../../domain/conversationService.ts";
import type { Reply } from "../../engine/types.ts";
import { replyAsText } from "../chat/chatText.ts";
import { splitMessage } from "../chat/splitMessage.ts";
import { ZALO_TEXT_LIMIT } from "./zaloTypes.ts";

/**
 * A screen as Zalo messages. Zalo has no buttons or quick replies, so choices are numbered lines
 * with the same "0" / "00" navigation as USSD (the person types the number or the label); an
 * answer longer than Zalo's 2000 characters becomes several messages, cut between paragraphs or lines.
 */
export function renderZaloReply(reply: Reply): string[] {
  return splitZaloText(replyAsText(reply, { numberedChoices: true, navigation: true }));
}

/** Any text as messages Zalo accepts (the bot's own notices too). */
export function splitZaloText(text: string): string[] {
  return splitMessage(text, ZALO_TEXT_LIMIT).filter((part) => part.length > 0);
}

/** Chats do not page: the whole screen goes out at once, split into messages when long. */
export const zaloRenderer: ScreenRenderer<string[]> = {
  render: (reply) => ({ output: renderZaloReply(reply), pages: 1 }),
};
