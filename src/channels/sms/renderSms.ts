import type { ScreenRenderer } from "../../domain/conversationService.ts";
import type { Locale } from "../../engine/session.ts";
import type { Reply, Translate } from "../../engine/types.ts";
import { countSmsSegments } from "../../shared/smsSegments.ts";
import { toSmsText } from "../../shared/smsText.ts";

/** An answer is at most this many parts: more costs more and arrives in pieces on old phones. */
const SMS_REPLY_SEGMENTS = 2;
const ROOM = 153 * SMS_REPLY_SEGMENTS;

/** What a text that answered nothing gets back: the SMS keywords, in one part (`flows check` checks it). */
export const SMS_HELP_KEY = "sms.help";

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

/**
 * The renderer the conversation host uses for SMS: one message, no pages. A text that answered
 * nothing (Reply.unmatched: "xin chao", a number no choice has) gets the one-part help naming the
 * keywords rather than the whole screen again: by SMS people text keywords (8171-style), and the
 * screen was the answer to something else. The session stays on the screen, so a number still answers it.
 */
export function smsRenderer(translate: Translate): ScreenRenderer<string> {
  const help = (locale: Locale) => toSmsText(translate(locale, SMS_HELP_KEY));
  return {
    render: (reply) => ({ output: reply.unmatched ? help(reply.locale) : renderSmsReply(reply), pages: 1 }),
  };
}
