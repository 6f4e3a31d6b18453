import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { audit } from "../audit.ts";
import { saidNoLast } from "../privacy/privacyEffects.ts";

// The beneficiary's own phone on the voice channel, known as on a call from it ("phone"): created
// when staff turn calls on before the person ever called (with reminders off if the person withdrew
// consent on another channel), or changed when they had.
const UPSERT = `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, verifiedAt, prefersVoice, remindersOn, createdAt, updatedAt)
  VALUES ('voice', @phone, @beneficiaryId, 'phone', @at, @on, NOT ${saidNoLast("beneficiary", "@beneficiaryId")}, @at, @at)
  ON CONFLICT(channel, externalId) DO UPDATE SET prefersVoice = excluded.prefersVoice, updatedAt = excluded.updatedAt`;

/**
 * Staff turn reminder calls on or off for a beneficiary (the console's person page): reminders and
 * notices then come as phone calls to the beneficiary's phone on record. False when they have no phone.
 */
export async function setReminderCalls(sql: Sql, beneficiaryId: number, on: boolean, actor: string, now: Date): Promise<boolean> {
  return sql.transaction(async () => {
    const row = await sql.get<{ phone: string | null }>("SELECT phone FROM Beneficiary WHERE id = ?", [beneficiaryId]);
    if (!row?.phone) return false;
    const at = sqlTimestamp(now);
    await sql.run(UPSERT, { phone: row.phone, beneficiaryId, at, on });
    await audit(sql, { actorKind: "staff", actorId: actor, action: "person.reminder_calls", entity: "Beneficiary", entityId: beneficiaryId, channel: "voice", after: { prefersVoice: on }, at: now });
    return true;
  });
}
