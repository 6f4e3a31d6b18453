import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { audit } from "../audit.ts";
import { SMS_WANTED } from "../outbox/recipients.ts";

export const SMS_CHOICES = ["auto", "on", "off"] as const;
export type SmsChoice = (typeof SMS_CHOICES)[number];

export interface SmsStanding {
  choice: SmsChoice;
  /** Whether messages go to this person by SMS now (the choice, and for "auto" whether they have a chat). */
  bySms: boolean;
  /** Delivery failed twice: no more SMS until the number is corrected. */
  unreachable: boolean;
}

const STANDING = `SELECT ci.smsChoice AS choice, ci.unreachable, CASE WHEN ${SMS_WANTED} THEN 1 ELSE 0 END AS wanted
  FROM ChannelIdentity ci WHERE ci.channel = 'sms' AND ci.beneficiaryId = ?`;

/** A beneficiary's SMS identity as staff see it; null when they have none (no phone on record, or SMS is off). */
export async function smsStanding(sql: Sql, beneficiaryId: number): Promise<SmsStanding | null> {
  const row = await sql.get<{ choice: SmsChoice; unreachable: number; wanted: number }>(STANDING, [beneficiaryId]);
  if (!row) return null;
  return { choice: row.choice, bySms: row.wanted === 1 && row.unreachable !== 1, unreachable: row.unreachable === 1 };
}

/**
 * Staff choose whether a beneficiary is written to by SMS: "auto" (when they have no Telegram or
 * Zalo), "on" (also by SMS), "off" (never). Setting it clears "unreachable" (the usual reason to
 * touch it is a corrected number). Audited. False when the person has no SMS identity.
 */
export async function setSmsChoice(sql: Sql, beneficiaryId: number, choice: SmsChoice, by: string, now: Date): Promise<boolean> {
  return sql.transaction(async () => {
    const before = await smsStanding(sql, beneficiaryId);
    if (!before) return false;
    const at = sqlTimestamp(now);
    await sql.run(`UPDATE ChannelIdentity SET smsChoice = ?, unreachable = FALSE, updatedAt = ? WHERE channel = 'sms' AND beneficiaryId = ?`, [choice, at, beneficiaryId]);
    await audit(sql, { actorKind: "staff", actorId: by, action: "person.sms_choice", entity: "Beneficiary", entityId: beneficiaryId, before: { choice: before.choice, unreachable: before.unreachable }, after: { choice }, at: now });
    return true;
  });
}
