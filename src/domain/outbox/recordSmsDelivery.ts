import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { log } from "../../shared/log.ts";
import type { SmsDelivery } from "./smsDelivery.ts";

/** Kinds that are sent once more when their delivery fails (a missed reminder costs a trip for nothing). */
const RESENT_ON_FAILURE = new Set(["reminder_before", "reminder_day"]);
const MAX_DELIVERY_RETRIES = 1;

interface SentRow {
  id: number;
  kind: string;
  identityId: number | null;
  externalId: string;
  locale: string;
  deliveryStatus: string | null;
  deliveryRetries: number;
}

const COLUMNS = "id, kind, identityId, externalId, locale, deliveryStatus, deliveryRetries";
const BY_PROVIDER_ID = `SELECT ${COLUMNS} FROM OutboxMessage WHERE channel = 'sms' AND providerId = ?`;
const BY_ID = `SELECT ${COLUMNS} FROM OutboxMessage WHERE channel = 'sms' AND id = ?`;
// A report about a message already delivered or failed changes nothing: reports arrive out of order.
const RECORD = `UPDATE OutboxMessage SET deliveryStatus = @outcome, deliveryError = @reason,
    deliveredAt = CASE WHEN @outcome = 'delivered' THEN @at ELSE deliveredAt END, updatedAt = @at
  WHERE id = @id AND (deliveryStatus IS NULL OR deliveryStatus = 'sent')`;
const RESEND = `UPDATE OutboxMessage SET status = 'pending', dueAt = @at, deliveryStatus = NULL, providerId = NULL,
    deliveryRetries = deliveryRetries + 1, lastError = @reason, updatedAt = @at WHERE id = @id AND status = 'sent'`;
const GIVE_UP = `UPDATE OutboxMessage SET status = 'failed', lastError = @reason, updatedAt = @at WHERE id = @id`;
const MARK_UNREACHABLE = `UPDATE ChannelIdentity SET unreachable = TRUE, updatedAt = @at WHERE id = @identityId AND channel = 'sms'`;
/** Told at the person's next USSD dial (the notice board shows pending USSD rows for that phone). */
const TELL_ON_USSD = `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, locale, dueAt, status, createdAt, updatedAt)
  VALUES ('sms_unreachable:identity:' || @identityId, 'ussd', @phone, NULL, 'sms_unreachable', @locale, @at, 'pending', @at, @at)
  ON CONFLICT(dedupeKey) DO UPDATE SET status = 'pending', dueAt = excluded.dueAt, updatedAt = excluded.updatedAt WHERE OutboxMessage.status <> 'pending'`;

export type DeliveryOutcome = "recorded" | "resent" | "unreachable" | "unknown";

/**
 * Records an SMS provider's delivery report on the outbox row it is about (found by the provider's
 * id, or by our request id, which eSMS echoes): sent, delivered, or failed with the reason. A
 * failed reminder is sent once more (with a new request id); failing again, the person is marked
 * unreachable by SMS (no more SMS reminders or notices) and told so at their next USSD dial.
 * "unknown" for a report about no message of ours: the caller answers 400 and nothing changes.
 */
export async function recordSmsDelivery(sql: Sql, delivery: SmsDelivery, now: Date): Promise<DeliveryOutcome> {
  const at = sqlTimestamp(now);
  return sql.transaction(async () => {
    const row = await findRow(sql, delivery);
    if (!row) return "unknown";
    const changed = (await sql.run(RECORD, { id: row.id, outcome: delivery.outcome, reason: delivery.reason, at })).changes;
    if (!changed || delivery.outcome !== "failed") return "recorded";
    const reason = `delivery failed: ${delivery.reason ?? "no reason given"}`.slice(0, 500);
    if (RESENT_ON_FAILURE.has(row.kind) && row.deliveryRetries < MAX_DELIVERY_RETRIES) {
      await sql.run(RESEND, { id: row.id, reason, at });
      log.info("SMS delivery failed: sending once more", { kind: row.kind, outboxId: row.id });
      return "resent";
    }
    await sql.run(GIVE_UP, { id: row.id, reason, at });
    if (!RESENT_ON_FAILURE.has(row.kind) || row.identityId === null) return "recorded";
    await sql.run(MARK_UNREACHABLE, { identityId: row.identityId, at });
    await sql.run(TELL_ON_USSD, { identityId: row.identityId, phone: row.externalId, locale: row.locale, at });
    log.warn("SMS delivery failed twice: marked unreachable by SMS", { kind: row.kind, outboxId: row.id });
    return "unreachable";
  });
}

async function findRow(sql: Sql, delivery: SmsDelivery): Promise<SentRow | undefined> {
  if (delivery.providerId) {
    const row = await sql.get<SentRow>(BY_PROVIDER_ID, [delivery.providerId]);
    if (row) return row;
  }
  // Our request id is "<outbox id>" or "<outbox id>-<resend>"; only the current sending's counts.
  const match = delivery.requestId ? /^(\d{1,12})(?:-(\d{1,3}))?$/.exec(delivery.requestId) : null;
  if (!match) return undefined;
  const row = await sql.get<SentRow>(BY_ID, [Number(match[1])]);
  return row && row.deliveryRetries === Number(match[2] ?? 0) ? row : undefined;
}
