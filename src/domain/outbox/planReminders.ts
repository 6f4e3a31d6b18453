import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";
import { todayInVietnam } from "../../shared/dates.ts";
import { recipientsOfPayments } from "./recipients.ts";

export interface ReminderSchedule {
  /** The first reminder goes this many days before the pay date. */
  daysBefore: number;
  /** Local time (Asia/Ho_Chi_Minh, "HH:mm") both reminders are due. */
  deliveryTime: string;
}

/** Vietnam has been UTC+7 all year since 1975: no daylight saving to account for. */
const VIETNAM_OFFSET = "-7 hours";
const ISO = "%Y-%m-%dT%H:%M:%S.000+00:00";

/**
 * Plans payment-day reminders for every scheduled payment from today on, for each identity of
 * the beneficiary (or a guardian of theirs) that has reminders on: one N days before, one on the
 * morning of the pay date. Idempotent, and safe to run as often as wanted:
 * - a reminder is never queued twice (the dedupe key names kind, payment and identity);
 * - when a pay date moves, reminders not yet sent move with it;
 * - a "days before" reminder whose time has already passed (the date moved closer) is due now,
 *   once, rather than skipped; on the pay day itself only the pay-day reminder is planned;
 * - reminders of payments no longer scheduled, or of people who turned reminders off or became
 *   unreachable, are cancelled (and planned again if they turn reminders back on).
 * One INSERT … SELECT per kind: planning a million payments is a few statements, not a million.
 */
export function planReminders(sql: Database.Database, schedule: ReminderSchedule, now: Date): { planned: number; cancelled: number } {
  if (!/^\d{2}:\d{2}$/.test(schedule.deliveryTime)) throw new Error(`reminder time must be HH:mm (got "${schedule.deliveryTime}")`);
  const at = sqlTimestamp(now);
  const today = todayInVietnam(now);
  const params = { at, today, time: `${schedule.deliveryTime}:00`, before: `-${schedule.daysBefore} days` };
  const plan = (kind: string, dayExpression: string, extraCondition: string) =>
    sql
      .prepare(
        `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, beneficiaryId, paymentId, kind, locale, dueAt, status, createdAt, updatedAt)
         SELECT '${kind}:payment:' || p.id || ':identity:' || ci.id, ci.channel, ci.externalId, ci.id, p.beneficiaryId, p.id, '${kind}', ci.locale,
                MAX(strftime('${ISO}', ${dayExpression} || 'T' || @time, '${VIETNAM_OFFSET}'), @at), 'pending', @at, @at
         FROM ${recipientsOfPayments(`p.status = 'scheduled' AND ${extraCondition}`, "ci.unreachable = 0 AND ci.remindersOn = 1")} r
         JOIN Payment p ON p.id = r.paymentId JOIN ChannelIdentity ci ON ci.id = r.identityId
         WHERE true
         ON CONFLICT(dedupeKey) DO UPDATE SET dueAt = excluded.dueAt, status = 'pending', updatedAt = excluded.updatedAt
         WHERE OutboxMessage.status IN ('pending', 'cancelled')
           AND (OutboxMessage.dueAt != excluded.dueAt OR OutboxMessage.status = 'cancelled')`,
      )
      .run(params).changes;
  return sql.transaction(() => {
    const cancelled = sql
      .prepare(
        `UPDATE OutboxMessage SET status = 'cancelled', updatedAt = @at
         WHERE status = 'pending' AND kind IN ('reminder_before', 'reminder_day') AND (
           paymentId NOT IN (SELECT id FROM Payment WHERE status = 'scheduled' AND payDate >= @today)
           OR identityId NOT IN (SELECT id FROM ChannelIdentity WHERE remindersOn = 1 AND unreachable = 0)
           OR (kind = 'reminder_before' AND paymentId IN (SELECT id FROM Payment WHERE payDate <= @today)))`,
      )
      .run({ at, today }).changes;
    const planned =
      plan("reminder_before", `date(p.payDate, @before)`, `p.payDate > @today`) + plan("reminder_day", `p.payDate`, `p.payDate >= @today`);
    return { planned, cancelled };
  }).immediate();
}
