import type { ScreenRenderer } from "../../domain/conversationService.ts";
import type { Reply } from "../../engine/types.ts";
import { countSmsSegments } from "../../shared/smsSegments.ts";
import { toSmsText } from "../../shared/smsText.ts";

/** An answer is at most this many parts: more costs more and arrives in pieces on old phones. */
const SMS_REPLY_SEGMENTS = 2;
const ROOM = 153 * SMS_REPLY_SEGMENTS;

/**
 * A screen as one SMS: the sentences without diacritics, then the choices numbered on one line
 * ("1.Xem tien 2.Doi cach nhan"), the way USSD shows them but in a single message (an SMS cannot
 * be paged). When it would take more than two parts, the sentences are cut, never the choices.
 */
function renderSmsReply(reply: Reply): string {
  const choices = reply.choices.map((c) => `${c.number}.${toSmsText(c.label)}`).join(" ");
  const back = reply.canGoBack && !reply.end ? ` 0.${toSmsText(reply.nav.back)}` : "";
  const tail = choices ? `\n${choices}${back}` : "";
  const body = toSmsText(reply.texts.join("\n")).replace(/\n{2,}/g, "\n");
  const text = `${body}${tail}`;
  if (countSmsSegments(text).segments <= SMS_REPLY_SEGMENTS) return text;
  const room = Math.max(0, ROOM - tail.length - 2);
  return `${body.slice(0, room).trimEnd()}..${tail}`.slice(0, ROOM);
}

/** The renderer the conversation host uses for SMS: one message, no pages. */
export const smsRenderer: ScreenRenderer<string> = {
  render: (reply) => ({ output: renderSmsReply(reply), pages: 1 }),
};
