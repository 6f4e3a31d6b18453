import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { recipientsOfPayments } from "./recipients.ts";

const QUEUE_RESULT = `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, beneficiaryId, paymentId, kind, locale, dueAt, status, createdAt, updatedAt)
  SELECT 'payment_' || p.status || ':payment:' || p.id || ':identity:' || ci.id, ci.channel, ci.externalId, ci.id, p.beneficiaryId, p.id,
         'payment_' || p.status, ci.locale, @at, 'pending', @at, @at
  FROM ${recipientsOfPayments("p.id = @paymentId AND p.status IN ('paid', 'failed', 'returned')", "ci.unreachable = FALSE")} r
  JOIN Payment p ON p.id = r.paymentId JOIN ChannelIdentity ci ON ci.id = r.identityId
  WHERE TRUE
  ON CONFLICT(dedupeKey) DO NOTHING`;

/**
 * Queues "your money was paid / could not be paid / came back" for the given payments, to every
 * reachable identity of the beneficiary and their guardians. The words are chosen when the message
 * is sent, from the payment as it is then. Queuing twice changes nothing (the dedupe key names the
 * payment, its status and the recipient); a later status (paid after failed) is a new message.
 * Returns how many messages were queued.
 */
export async function queuePaymentResultNotices(sql: Sql, paymentIds: number[], now: Date): Promise<number> {
  if (paymentIds.length === 0) return 0;
  const at = sqlTimestamp(now);
  return sql.transaction(async () => {
    let queued = 0;
    for (const paymentId of paymentIds) queued += (await sql.run(QUEUE_RESULT, { paymentId, at })).changes;
    return queued;
  });
}
