import type { Sql } from "../../db/sql/sql.ts";
import type { OpenPrivacyRequestEffect, RecordConsentEffect } from "../../engine/effects/index.ts";

/**
 * The personal-data effects of a conversation step (actions/privacy.ts), applied inside the step's
 * transaction by EffectWriter. Kept apart so the law's part of the writer reads in one place.
 */
const INSERT_CONSENT = `INSERT INTO Consent (channel, externalId, beneficiaryId, guardianId, decision, noticeVersion, createdAt)
  VALUES (@channel, @userId, @beneficiaryId, @guardianId, @decision, @noticeVersion, @at)`;
// The request's commune is the beneficiary's: the queue of that commune's staff.
const INSERT_REQUEST = `INSERT INTO PrivacyRequest (reference, kind, details, channel, externalId, beneficiaryId, guardianId, communeId, locale, status, createdAt, updatedAt)
  VALUES (@reference, @kind, @details, @channel, @userId, @beneficiaryId, @guardianId,
    (SELECT communeId FROM Beneficiary WHERE id = @beneficiaryId), @locale, 'open', @at, @at) RETURNING id`;
// The notice is answered before anyone is identified: once they are, their answers name them.
const CLAIM_CONSENTS = `UPDATE Consent SET beneficiaryId = @beneficiaryId, guardianId = @guardianId
  WHERE channel = @channel AND externalId = @userId AND beneficiaryId IS NULL AND guardianId IS NULL`;

type Audit = (action: string, entity: string, entityId: string | null, after: unknown) => Promise<void>;

export async function applyPrivacyEffect(sql: Sql, effect: RecordConsentEffect | OpenPrivacyRequestEffect, where: { channel: string; userId: string; at: string }, audit: Audit): Promise<void> {
  const who = { beneficiaryId: effect.beneficiaryId, guardianId: effect.guardianId };
  if (effect.type === "record_consent") {
    await sql.run(INSERT_CONSENT, { ...where, ...who, decision: effect.decision, noticeVersion: effect.noticeVersion });
    await audit(`consent.${effect.decision}`, "Consent", `${where.channel}:${where.userId}`, { noticeVersion: effect.noticeVersion, ...who });
  } else if (effect.type === "open_privacy_request") {
    const { id } = (await sql.get<{ id: number }>(INSERT_REQUEST, {
      ...where,
      ...who,
      reference: effect.reference,
      kind: effect.kind,
      details: effect.details,
      locale: effect.locale,
    }))!;
    await audit("privacy_request.opened", "PrivacyRequest", String(id), { reference: effect.reference, kind: effect.kind, ...who });
  }
}

/** Called when a channel identity is linked to a person: their earlier answers to the notice now name them. */
export async function claimConsents(sql: Sql, where: { channel: string; userId: string }, who: { beneficiaryId: number | null; guardianId: number | null }): Promise<void> {
  await sql.run(CLAIM_CONSENTS, { ...where, beneficiaryId: who.beneficiaryId, guardianId: who.guardianId });
}
