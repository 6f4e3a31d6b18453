import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { saidNoLast } from "../privacy/privacyEffects.ts";

/**
 * Every phone on record gets an SMS identity (channel "sms", the phone as externalId), linked to
 * its beneficiary or guardian, so reminders, results, broadcasts and decisions reach it through the
 * same recipient queries as chat identities (src/domain/outbox/recipients.ts decides whether SMS
 * is wanted). A phone that is both a beneficiary's and a guardian's stays the beneficiary's. Its
 * language and reminder choice start as the person's USSD identity has them (off after the person
 * withdrew consent on any channel). A phone no longer on record loses its link (its identity stays,
 * for the history of what was sent). Idempotent: run at start and with each reminder planning,
 * only when SMS is configured.
 */
/**
 * One SMS identity per phone of `table` (Beneficiary or Guardian), linked by `column`, in the
 * language and reminder choice the phone's USSD identity has; reminders off when the person's
 * latest answer to the personal-data notice, on any channel, was a no (withdrawn or declined).
 */
function addSmsIdentities(table: "Beneficiary" | "Guardian", column: "beneficiaryId" | "guardianId"): string {
  return `INSERT INTO ChannelIdentity (channel, externalId, ${column}, verification, verifiedAt, locale, remindersOn, createdAt, updatedAt)
  SELECT 'sms', p.phone, p.id, 'phone', @at,
         COALESCE((SELECT u.locale FROM ChannelIdentity u WHERE u.channel = 'ussd' AND u.externalId = p.phone), 'vi'),
         CASE WHEN ${saidNoLast(column === "guardianId" ? "guardian" : "beneficiary", "p.id")} THEN FALSE
              ELSE COALESCE((SELECT u.remindersOn FROM ChannelIdentity u WHERE u.channel = 'ussd' AND u.externalId = p.phone), TRUE) END, @at, @at
  FROM ${table} p WHERE p.phone IS NOT NULL AND p.phone <> ''
    AND NOT EXISTS (SELECT 1 FROM ChannelIdentity s WHERE s.channel = 'sms' AND s.externalId = p.phone)
    AND p.id = (SELECT MIN(p2.id) FROM ${table} p2 WHERE p2.phone = p.phone)
  ON CONFLICT(channel, externalId) DO NOTHING`;
}
const ADD_BENEFICIARIES = addSmsIdentities("Beneficiary", "beneficiaryId");
const ADD_GUARDIANS = addSmsIdentities("Guardian", "guardianId");
const DETACH_STALE = `UPDATE ChannelIdentity SET beneficiaryId = NULL, guardianId = NULL, updatedAt = @at
  WHERE channel = 'sms' AND (beneficiaryId IS NOT NULL OR guardianId IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM Beneficiary b WHERE b.id = ChannelIdentity.beneficiaryId AND b.phone = ChannelIdentity.externalId)
    AND NOT EXISTS (SELECT 1 FROM Guardian g WHERE g.id = ChannelIdentity.guardianId AND g.phone = ChannelIdentity.externalId)`;

export async function syncSmsIdentities(sql: Sql, now: Date): Promise<{ added: number; detached: number }> {
  const at = sqlTimestamp(now);
  return sql.transaction(async () => {
    const detached = (await sql.run(DETACH_STALE, { at })).changes;
    const added = (await sql.run(ADD_BENEFICIARIES, { at })).changes + (await sql.run(ADD_GUARDIANS, { at })).changes;
    return { added, detached };
  });
}
