import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";
import type { Locale } from "../../engine/session.ts";
import type { Translate } from "../../engine/types.ts";
import type { OutboxRow, OutboxSettled, OutboxText } from "./outboxText.ts";

/**
 * The paragraphs a dial starts with when messages wait: each message, the first behind a heading in
 * the person's language. The heading shares the first message's paragraph: on a line of its own it
 * would take a whole USSD screen whenever the message's first line is long.
 */
export function noticeLines(translate: Translate, locale: Locale, texts: string[]): string[] {
  return texts.length ? [`${translate(locale, "notice.ussd_heading")} ${texts[0]}`, ...texts.slice(1)] : [];
}

/**
 * Messages for people who can only be reached when they call (USSD cannot push): their due
 * reminders and notices, shown at the start of their next dial and then marked delivered.
 */
export class NoticeBoard {
  private readonly due;
  private readonly delivered;

  constructor(
    sql: Database.Database,
    private readonly words: OutboxText,
    private readonly translate: Translate,
    /** Told of every message shown (an operator's reply shows it was read on the phone). */
    private readonly onSettled?: OutboxSettled,
  ) {
    this.due = sql.prepare<[string, string, string], OutboxRow>(
      `SELECT id, channel, externalId, identityId, paymentId, methodChangeId, kind, locale, text, attempts FROM OutboxMessage
       WHERE channel = ? AND externalId = ? AND status = 'pending' AND dueAt <= ? ORDER BY dueAt, id LIMIT 5`,
    );
    this.delivered = sql.prepare(`UPDATE OutboxMessage SET status = ?, sentAt = ?, updatedAt = ? WHERE id = ? AND status = 'pending'`);
  }

  /** What to show this person now (under a heading in their language), and a function that records it shown (run it with the session save). */
  take(channel: string, externalId: string, locale: Locale, now: Date): { texts: string[]; markShown: () => void } {
    const rows = this.due.all(channel, externalId, sqlTimestamp(now));
    const shown = rows.map((row) => ({ row, text: this.words.wordsFor(row, now) }));
    const texts = shown.flatMap((s) => (s.text === null ? [] : [s.text]));
    return {
      texts: noticeLines(this.translate, locale, texts),
      markShown: () => {
        const at = sqlTimestamp(now);
        for (const { row, text } of shown) {
          const status = text === null ? "cancelled" : "delivered";
          this.delivered.run(status, at, at, row.id);
          this.onSettled?.(row, status);
        }
      },
    };
  }
}
