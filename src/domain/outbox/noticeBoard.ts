import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { prepare, type Param } from "../../db/query/preparedQuery.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { Locale } from "../../engine/session.ts";
import type { Translate } from "../../engine/types.ts";
import { OUTBOX_ROW_COLUMNS, type OutboxRow, type OutboxSettled, type OutboxText } from "./outboxText.ts";

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
const DUE = prepare((db, param: Param<{ channel: string; externalId: string; now: string }>) =>
  db
    .selectFrom("OutboxMessage")
    .select(OUTBOX_ROW_COLUMNS)
    .where("channel", "=", param("channel"))
    .where("externalId", "=", param("externalId"))
    .where("status", "=", "pending")
    .where("dueAt", "<=", param("now"))
    .orderBy("dueAt")
    .orderBy("id")
    .limit(5),
);
const SHOWN = `UPDATE OutboxMessage SET status = ?, sentAt = ?, updatedAt = ? WHERE id = ? AND status = 'pending'`;

export class NoticeBoard {
  constructor(
    private readonly sql: Sql,
    private readonly words: OutboxText,
    private readonly translate: Translate,
    /** Told of every message shown (an operator's reply shows it was read on the phone). */
    private readonly onSettled?: OutboxSettled,
  ) {}

  /** What to show this person now (under a heading in their language), and a function that records it shown (run it with the session save). */
  async take(channel: string, externalId: string, locale: Locale, now: Date): Promise<{ texts: string[]; markShown: () => Promise<void> }> {
    const rows = await DUE.all(this.sql, { channel, externalId, now: sqlTimestamp(now) });
    const shown: { row: OutboxRow; text: string | null }[] = [];
    for (const row of rows) shown.push({ row, text: await this.words.wordsFor(row, now) });
    const texts = shown.flatMap((s) => (s.text === null ? [] : [s.text]));
    return {
      texts: noticeLines(this.translate, locale, texts),
      markShown: async () => {
        const at = sqlTimestamp(now);
        for (const { row, text } of shown) {
          const status = text === null ? "cancelled" : "delivered";
          await this.sql.run(SHOWN, [status, at, at, row.id]);
          await this.onSettled?.(row, status);
        }
      },
    };
  }
}
