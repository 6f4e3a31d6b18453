import type { Sql } from "../../db/sql/sql.ts";
import type { OpenPrivacyRequestEffect, RecordConsentEffect } from "../../engine/effects/index.ts";

/**
 * The personal-data effects of a conversation step (actions/privacy.ts), applied inside the step's
 * transaction by EffectWriter. Kept apart so the law's part of the writer reads in one place.
 *
 * The notice is answered once per phone or chat, before identification; but consent is the
 * person's. Once a phone or chat is linked to a person, what it answers names them, and a "no"
 * (withdrawn, or declined) stops reminders and broadcasts on every channel identity of theirs
 * (Telegram, Zalo, USSD, SMS, voice), not only the one it was said on. A later "yes" turns nothing
 * on by itself: a new chat starts with reminders on, and an existing one is turned back on by the
 * person (the reminders menu, BẬT NHẮC) on that channel only.
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
const LINKED_PERSON = `SELECT beneficiaryId, guardianId FROM ChannelIdentity WHERE channel = ? AND externalId = ?`;

type Who = { beneficiaryId: number | null; guardianId: number | null };
type Audit = (action: string, entity: string, entityId: string | null, after: unknown) => Promise<void>;

const SAYS_NO = new Set(["declined", "withdrawn"]);

/**
 * A person's answers, as a condition over Consent `c`: a guardian's (their answers name the
 * beneficiary they were asking about too, so they are found by guardianId), or a beneficiary's own.
 */
function answersOf(kind: "beneficiary" | "guardian", idSql: string): string {
  return kind === "guardian" ? `c.guardianId = ${idSql}` : `c.beneficiaryId = ${idSql} AND c.guardianId IS NULL`;
}

/**
 * SQL, true when the latest answer of the beneficiary or guardian `idSql` to the notice, on any
 * channel, is a no: a phone or chat of theirs added later (an SMS or voice identity) starts with
 * reminders off.
 */
export function saidNoLast(kind: "beneficiary" | "guardian", idSql: string): string {
  return `COALESCE((${latestAnswer("c.decision", answersOf(kind, idSql))}) IN (${[...SAYS_NO].map((d) => `'${d}'`).join(", ")}), FALSE)`;
}

/** A person's latest answer to the notice (`answers`: a condition over Consent `c`), erasure records left out. */
function latestAnswer(columns: string, answers: string): string {
  return `SELECT ${columns} FROM Consent c WHERE ${answers} AND c.decision <> 'erased' ORDER BY c.id DESC LIMIT 1`;
}

/** Whose answers and identities these are, as SQL conditions over Consent `c` and ChannelIdentity; null when nobody is named. */
function personOf(who: Who): { answers: string; identities: string; personId: number } | null {
  if (who.guardianId !== null) return { answers: answersOf("guardian", "@personId"), identities: "guardianId = @personId", personId: who.guardianId };
  if (who.beneficiaryId !== null) return { answers: answersOf("beneficiary", "@personId"), identities: "beneficiaryId = @personId", personId: who.beneficiaryId };
  return null;
}

/**
 * Reminders and broadcasts stop on the identities matching `identities` (over ChannelIdentity):
 * remindersOn off, and what is queued for them cancelled now (reminders too: the planner would
 * cancel them only at its next run). Returns how many identities were turned off.
 */
async function stopMessages(sql: Sql, identities: string, params: Record<string, unknown>, at: string): Promise<number> {
  const stopped = (await sql.run(`UPDATE ChannelIdentity SET remindersOn = FALSE, updatedAt = @at WHERE ${identities} AND remindersOn = TRUE`, { ...params, at })).changes;
  await sql.run(
    `UPDATE OutboxMessage SET status = 'cancelled', lastError = 'consent withdrawn', updatedAt = @at
     WHERE status = 'pending' AND (broadcastId IS NOT NULL OR kind IN ('reminder_before', 'reminder_day'))
       AND identityId IN (SELECT id FROM ChannelIdentity WHERE ${identities})`,
    { ...params, at },
  );
  return stopped;
}

export async function applyPrivacyEffect(sql: Sql, effect: RecordConsentEffect | OpenPrivacyRequestEffect, where: { channel: string; userId: string; at: string }, audit: Audit): Promise<void> {
  const who: Who = { beneficiaryId: effect.beneficiaryId, guardianId: effect.guardianId };
  if (effect.type === "record_consent") {
    // Said before this conversation identified anyone, on a phone or chat linked to a person earlier: still theirs.
    const named = who.beneficiaryId !== null || who.guardianId !== null ? who : ((await sql.get<Who>(LINKED_PERSON, [where.channel, where.userId])) ?? who);
    await sql.run(INSERT_CONSENT, { ...where, ...named, decision: effect.decision, noticeVersion: effect.noticeVersion });
    const person = personOf(named);
    const identitiesStopped = SAYS_NO.has(effect.decision) && person ? await stopMessages(sql, person.identities, { personId: person.personId }, where.at) : 0;
    await audit(`consent.${effect.decision}`, "Consent", `${where.channel}:${where.userId}`, { noticeVersion: effect.noticeVersion, ...named, ...(identitiesStopped ? { identitiesStopped } : {}) });
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

/**
 * Called when a channel identity is linked to a person: its earlier answers to the notice now name
 * them, and the person's latest answer decides for it. When that is a "no" said on another channel,
 * this identity stops too; when it is a "no" this identity said before identification, it is the
 * person's decision now, and all their identities stop. (Only when answers were claimed: a phone
 * identified again, with nothing new to claim, keeps what the person chose since.)
 */
export async function claimConsents(sql: Sql, where: { channel: string; userId: string; at: string }, who: Who): Promise<void> {
  const claimed = (await sql.run(CLAIM_CONSENTS, { channel: where.channel, userId: where.userId, beneficiaryId: who.beneficiaryId, guardianId: who.guardianId })).changes;
  const person = personOf(who);
  if (!claimed || !person) return;
  const latest = await sql.get<{ channel: string; externalId: string; decision: string }>(latestAnswer("c.channel, c.externalId, c.decision", person.answers), {
    personId: person.personId,
  });
  if (!latest || !SAYS_NO.has(latest.decision)) return;
  const saidHere = latest.channel === where.channel && latest.externalId === where.userId;
  await stopMessages(sql, saidHere ? person.identities : "channel = @channel AND externalId = @userId", { personId: person.personId, channel: where.channel, userId: where.userId }, where.at);
}
