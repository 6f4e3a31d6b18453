import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";

/**
 * Every phone on record gets an SMS identity (channel "sms", the phone as externalId), linked to
 * its beneficiary or guardian, so reminders, results, broadcasts and decisions reach it through the
 * same recipient queries as chat identities (src/domain/outbox/recipients.ts decides whether SMS
 * is wanted). A phone that is both a beneficiary's and a guardian's stays the beneficiary's. Its
 * language and reminder choice start as the person's USSD identity has them. A phone no longer on
 * record loses its link (its identity stays, for the history of what was sent). Idempotent: run at
 * start and with each reminder planning, only when SMS is configured.
 */
const ADD_BENEFICIARIES = `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, verifiedAt, locale, remindersOn, createdAt, updatedAt)
  SELECT 'sms', b.phone, b.id, 'phone', @at,
         COALESCE((SELECT u.locale FROM ChannelIdentity u WHERE u.channel = 'ussd' AND u.externalId = b.phone), 'vi'),
         COALESCE((SELECT u.remindersOn FROM ChannelIdentity u WHERE u.channel = 'ussd' AND u.externalId = b.phone), TRUE), @at, @at
  FROM Beneficiary b WHERE b.phone IS NOT NULL AND b.phone <> ''
    AND NOT EXISTS (SELECT 1 FROM ChannelIdentity s WHERE s.channel = 'sms' AND s.externalId = b.phone)
    AND b.id = (SELECT MIN(b2.id) FROM Beneficiary b2 WHERE b2.phone = b.phone)
  ON CONFLICT(channel, externalId) DO NOTHING`;
const ADD_GUARDIANS = `INSERT INTO ChannelIdentity (channel, externalId, guardianId, verification, verifiedAt, locale, remindersOn, createdAt, updatedAt)
  SELECT 'sms', g.phone, g.id, 'phone', @at,
         COALESCE((SELECT u.locale FROM ChannelIdentity u WHERE u.channel = 'ussd' AND u.externalId = g.phone), 'vi'),
         COALESCE((SELECT u.remindersOn FROM ChannelIdentity u WHERE u.channel = 'ussd' AND u.externalId = g.phone), TRUE), @at, @at
  FROM Guardian g WHERE g.phone IS NOT NULL AND g.phone <> ''
    AND NOT EXISTS (SELECT 1 FROM ChannelIdentity s WHERE s.channel = 'sms' AND s.externalId = g.phone)
    AND g.id = (SELECT MIN(g2.id) FROM Guardian g2 WHERE g2.phone = g.phone)
  ON CONFLICT(channel, externalId) DO NOTHING`;
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
