import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { audit, type ActorKind } from "../audit.ts";

export interface ErasureResult {
  transcriptLines: number;
  chatLinks: number;
  messagesStripped: number;
  escalationTranscripts: number;
  phoneRemoved: boolean;
  /** What stays, and why: told to whoever asked. */
  kept: string;
}

const KEPT_BY_LAW =
  "Payment records, method-change requests and the audit log are kept: paying the benefit and accounting for it is a legal duty (Law 91/2025/QH15 allows processing required by law).";

/**
 * Removes what the law does not require to be kept about one beneficiary: their conversation
 * transcripts (MessageLog and escalation transcripts), their chat links (ChannelIdentity, with
 * their open sessions and pending messages), the words of messages sent to them, and their phone
 * when they are not on the current payment list (no payment in the latest period). An "erased"
 * consent row per chat link records it (their next contact sees the notice again), and one audit row.
 */
export async function erasePersonalData(sql: Sql, beneficiaryId: number, context: { actor: { kind: ActorKind; id: string }; now: Date }): Promise<ErasureResult | null> {
  const at = sqlTimestamp(context.now);
  return sql.transaction(async () => {
    const person = await sql.get<{ id: number; phone: string | null }>(`SELECT id, phone FROM Beneficiary WHERE id = ?`, [beneficiaryId]);
    if (!person) return null;
    const identities = await sql.all<{ id: number; channel: string; externalId: string }>(`SELECT id, channel, externalId FROM ChannelIdentity WHERE beneficiaryId = ?`, [beneficiaryId]);
    let transcriptLines = 0;
    for (const i of identities) {
      transcriptLines += (await sql.run(`DELETE FROM MessageLog WHERE channel = ? AND externalId = ?`, [i.channel, i.externalId])).changes;
      await sql.run(`DELETE FROM ConversationSession WHERE channel = ? AND externalId = ?`, [i.channel, i.externalId]);
      await sql.run(`UPDATE OutboxMessage SET status = 'cancelled', lastError = 'personal data erased', updatedAt = ? WHERE identityId = ? AND status = 'pending'`, [at, i.id]);
      await sql.run(`INSERT INTO Consent (channel, externalId, beneficiaryId, decision, noticeVersion, createdAt) VALUES (?, ?, ?, 'erased', '', ?)`, [i.channel, i.externalId, beneficiaryId, at]);
    }
    const messagesStripped = (
      await sql.run(`UPDATE OutboxMessage SET text = NULL, updatedAt = ? WHERE beneficiaryId = ? AND status != 'pending' AND text IS NOT NULL`, [at, beneficiaryId])
    ).changes;
    const escalationTranscripts = (await sql.run(`UPDATE Escalation SET transcript = '[]', updatedAt = ? WHERE beneficiaryId = ? AND transcript != '[]'`, [at, beneficiaryId])).changes;
    const chatLinks = (await sql.run(`DELETE FROM ChannelIdentity WHERE beneficiaryId = ?`, [beneficiaryId])).changes;
    const onList = await sql.get(
      `SELECT 1 AS yes FROM Payment WHERE beneficiaryId = ? AND periodId = (SELECT id FROM PaymentPeriod ORDER BY period DESC LIMIT 1)`,
      [beneficiaryId],
    );
    const phoneRemoved = !onList && person.phone !== null;
    if (phoneRemoved) await sql.run(`UPDATE Beneficiary SET phone = NULL, updatedAt = ? WHERE id = ?`, [at, beneficiaryId]);
    const result = { transcriptLines, chatLinks, messagesStripped, escalationTranscripts, phoneRemoved, kept: KEPT_BY_LAW };
    await audit(sql, {
      actorKind: context.actor.kind,
      actorId: context.actor.id,
      action: "personal_data.erased",
      entity: "Beneficiary",
      entityId: beneficiaryId,
      after: { transcriptLines, chatLinks, messagesStripped, escalationTranscripts, phoneRemoved },
      at: context.now,
    });
    return result;
  });
}
