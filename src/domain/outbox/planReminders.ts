import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Dialect, Sql } from "../../db/sql/sql.ts";
import { todayInVietnam } from "../../shared/dates.ts";
import { recipientsOfPayments, SMS_WANTED } from "./recipients.ts";

export interface ReminderSchedule {
  /** The first reminder goes this many days before the pay date. */
  daysBefore: number;
  /** Local time (Asia/Ho_Chi_Minh, "HH:mm") both reminders are due. */
  deliveryTime: string;
}

/** Vietnam has been UTC+7 all year since 1975: no daylight saving to account for. */
const VIETNAM_OFFSET_HOURS = 7;
const ISO = "%Y-%m-%dT%H:%M:%S.000+00:00";

/**
 * When a reminder is due: `@time` (Vietnam local) on the pay date less `daysBefore` days, as a
 * UTC timestamp, but not before `@at` (a reminder whose time has passed is due now). The pay date
 * is 'yyyy-mm-dd' text on both databases; the arithmetic is not: SQLite has no date type and
 * computes the timestamp text with strftime (in sqlTimestamp's format), PostgreSQL with date,
 * time and interval arithmetic on a TIMESTAMP(3) column.
 */
function dueAtExpression(dialect: Dialect, daysBefore: number): string {
  if (dialect === "postgres") {
    return `GREATEST(CAST(p.payDate AS DATE) - ${daysBefore} + CAST(@time AS TIME) - INTERVAL '${VIETNAM_OFFSET_HOURS} hours', CAST(@at AS TIMESTAMP))`;
  }
  const day = daysBefore ? `date(p.payDate, '-${daysBefore} days')` : "p.payDate";
  return `MAX(strftime('${ISO}', ${day} || 'T' || @time, '-${VIETNAM_OFFSET_HOURS} hours'), @at)`;
}

const CANCEL_STALE = `UPDATE OutboxMessage SET status = 'cancelled', updatedAt = @at
  WHERE status = 'pending' AND kind IN ('reminder_before', 'reminder_day') AND (
    paymentId NOT IN (SELECT id FROM Payment WHERE status = 'scheduled' AND payDate >= @today)
    OR identityId NOT IN (SELECT id FROM ChannelIdentity WHERE remindersOn = TRUE AND unreachable = FALSE AND (channel <> 'voice' OR prefersVoice = TRUE))
    OR identityId IN (SELECT ci.id FROM ChannelIdentity ci WHERE ci.channel = 'sms' AND NOT ${SMS_WANTED})
    OR (kind = 'reminder_before' AND paymentId IN (SELECT id FROM Payment WHERE payDate <= @today)))`;

/** Plans one kind of reminder, due `daysBefore` days before the pay date, for the payments matching `paymentCondition`. */
function planStatement(dialect: Dialect, kind: string, daysBefore: number, paymentCondition: string): string {
  return `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, beneficiaryId, paymentId, kind, locale, dueAt, status, createdAt, updatedAt)
    SELECT '${kind}:payment:' || p.id || ':identity:' || ci.id, ci.channel, ci.externalId, ci.id, p.beneficiaryId, p.id, '${kind}', ci.locale,
           ${dueAtExpression(dialect, daysBefore)}, 'pending', @at, @at
    FROM ${recipientsOfPayments(`p.status = 'scheduled' AND ${paymentCondition}`, "ci.unreachable = FALSE AND ci.remindersOn = TRUE")} r
    JOIN Payment p ON p.id = r.paymentId JOIN ChannelIdentity ci ON ci.id = r.identityId
    WHERE TRUE
    ON CONFLICT(dedupeKey) DO UPDATE SET dueAt = excluded.dueAt, status = 'pending', updatedAt = excluded.updatedAt
    WHERE OutboxMessage.status IN ('pending', 'cancelled')
      AND (OutboxMessage.dueAt != excluded.dueAt OR OutboxMessage.status = 'cancelled')`;
}

/**
 * Plans payment-day reminders for every scheduled payment from today on, for each identity of
 * the beneficiary (or a guardian of theirs) that has reminders on: one N days before, one on the
 * morning of the pay date. Idempotent, and safe to run as often as wanted (by several instances at
 * once too: each insert meets the others' rows on the dedupe key):
 * - a reminder is never queued twice (the dedupe key names kind, payment and identity);
 * - when a pay date moves, reminders not yet sent move with it;
 * - a "days before" reminder whose time has already passed (the date moved closer) is due now,
 *   once, rather than skipped; on the pay day itself only the pay-day reminder is planned;
 * - reminders of payments no longer scheduled, or of people who turned reminders off or became
 *   unreachable, or whose SMS is no longer wanted (they now have a chat), are cancelled (and planned again if they turn reminders back on).
 * One INSERT … SELECT per kind: planning a million payments is a few statements, not a million.
 */
export async function planReminders(sql: Sql, schedule: ReminderSchedule, now: Date): Promise<{ planned: number; cancelled: number }> {
  if (!/^\d{2}:\d{2}$/.test(schedule.deliveryTime)) throw new Error(`reminder time must be HH:mm (got "${schedule.deliveryTime}")`);
  if (!Number.isSafeInteger(schedule.daysBefore) || schedule.daysBefore < 0) throw new Error(`reminder days before must be a whole number (got ${schedule.daysBefore})`);
  const at = sqlTimestamp(now);
  const today = todayInVietnam(now);
  const params = { at, today, time: `${schedule.deliveryTime}:00` };
  return sql.transaction(async () => {
    const cancelled = (await sql.run(CANCEL_STALE, { at, today })).changes;
    const before = await sql.run(planStatement(sql.dialect, "reminder_before", schedule.daysBefore, "p.payDate > @today"), params);
    const day = await sql.run(planStatement(sql.dialect, "reminder_day", 0, "p.payDate >= @today"), params);
    return { planned: before.changes + day.changes, cancelled };
  });
}
