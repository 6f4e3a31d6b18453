import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { audit } from "../audit.ts";
import { scopeCondition, type StaffScope } from "../staffScope.ts";
import { todayInVietnam } from "../../shared/dates.ts";
import { ACKNOWLEDGE_WORKING_DAYS, ANSWER_WORKING_DAYS, addWorkingDays, type WorkingCalendar } from "./workingDays.ts";

/** A personal-data request as the console's "Dữ liệu cá nhân" queue shows it. */
export interface PrivacyRequestListing {
  id: number;
  reference: string;
  kind: string;
  details: string | null;
  channel: string;
  beneficiaryId: number | null;
  fullName: string | null;
  commune: string | null;
  status: string;
  createdAt: string;
  acknowledgedAt: string | null;
  answeredAt: string | null;
  decision: string | null;
  answer: string | null;
  decidedBy: string | null;
  /** yyyy-mm-dd: acknowledge by, answer by (working days from the request's day: weekends, public holidays and configured days off skipped). */
  acknowledgeBy: string;
  answerBy: string;
  /** The deadline that applies now has passed without the step it asks for. */
  overdue: boolean;
}

// A request of no one identified (a withdrawal typed before identification) has no commune: only
// those who see every commune see it.
const SELECT = `SELECT r.id, r.reference, r.kind, r.details, r.channel, r.beneficiaryId, b.fullName, c.name AS commune, r.status,
    r.createdAt, r.acknowledgedAt, r.answeredAt, r.decision, r.answer, r.decidedBy
  FROM PrivacyRequest r LEFT JOIN Beneficiary b ON b.id = r.beneficiaryId LEFT JOIN Commune c ON c.id = r.communeId`;

function scoped(scope: StaffScope): string {
  return scope.communeIds === "all" ? "1 = 1" : scopeCondition(scope, "r.communeId");
}

/** When a request is looked at, and the working days its deadlines count in. */
interface DeadlineContext {
  now: Date;
  calendar: WorkingCalendar;
}

function withDeadlines(row: Omit<PrivacyRequestListing, "acknowledgeBy" | "answerBy" | "overdue">, { now, calendar }: DeadlineContext): PrivacyRequestListing {
  const created = new Date(row.createdAt);
  const acknowledgeBy = addWorkingDays(created, ACKNOWLEDGE_WORKING_DAYS, calendar);
  const answerBy = addWorkingDays(created, ANSWER_WORKING_DAYS, calendar);
  const today = todayInVietnam(now);
  const overdue = row.status === "open" ? today > acknowledgeBy : row.status === "acknowledged" ? today > answerBy : false;
  return { ...row, acknowledgeBy, answerBy, overdue };
}

/** Open and acknowledged requests first, oldest first (who has waited longest), then the answered ones, latest first. */
export async function listPrivacyRequests(sql: Sql, scope: StaffScope, at: DeadlineContext, which: "waiting" | "answered" = "waiting"): Promise<PrivacyRequestListing[]> {
  const rows = await sql.all<Omit<PrivacyRequestListing, "acknowledgeBy" | "answerBy" | "overdue">>(
    which === "waiting"
      ? `${SELECT} WHERE r.status IN ('open', 'acknowledged') AND ${scoped(scope)} ORDER BY r.createdAt, r.id`
      : `${SELECT} WHERE r.status = 'answered' AND ${scoped(scope)} ORDER BY r.answeredAt DESC, r.id DESC`,
  );
  return rows.map((r) => withDeadlines(r, at));
}

export async function findPrivacyRequest(sql: Sql, id: number, scope: StaffScope, at: DeadlineContext): Promise<PrivacyRequestListing | null> {
  const row = await sql.get<Omit<PrivacyRequestListing, "acknowledgeBy" | "answerBy" | "overdue">>(`${SELECT} WHERE r.id = ? AND ${scoped(scope)}`, [id]);
  return row ? withDeadlines(row, at) : null;
}

/** Staff tell the system they have seen the request (the 2-working-day acknowledgement). */
export async function acknowledgePrivacyRequest(sql: Sql, request: PrivacyRequestListing, by: string, now: Date): Promise<boolean> {
  const at = sqlTimestamp(now);
  return sql.transaction(async () => {
    const { changes } = await sql.run(`UPDATE PrivacyRequest SET status = 'acknowledged', acknowledgedAt = ?, updatedAt = ? WHERE id = ? AND status = 'open'`, [at, at, request.id]);
    if (changes) await audit(sql, { actorKind: "staff", actorId: by, action: "privacy_request.acknowledged", entity: "PrivacyRequest", entityId: request.id, at: now });
    return changes > 0;
  });
}

// The answer goes to the chat the request came from (on USSD it waits for the next dial), even
// after a withdrawal: answering the request is the law's duty, not a reminder.
const QUEUE_ANSWER = `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, beneficiaryId, kind, locale, text, dueAt, status, createdAt, updatedAt)
  SELECT @dedupeKey, r.channel, r.externalId, ci.id, r.beneficiaryId, 'privacy_decision', r.locale, @answer, @at, 'pending', @at, @at
  FROM PrivacyRequest r LEFT JOIN ChannelIdentity ci ON ci.channel = r.channel AND ci.externalId = r.externalId
  WHERE r.id = @id
  ON CONFLICT(dedupeKey) DO NOTHING`;

/**
 * Answers a request (done or refused, with the words the person reads), audits it and queues the
 * answer to the person on their channel, in one transaction. An answered request is not answered again.
 */
export async function answerPrivacyRequest(
  sql: Sql,
  request: PrivacyRequestListing,
  input: { decision: "done" | "refused"; answer: string; by: string; now: Date },
): Promise<{ ok: true; queued: number } | { ok: false }> {
  const at = sqlTimestamp(input.now);
  return sql.transaction(async () => {
    const { changes } = await sql.run(
      `UPDATE PrivacyRequest SET status = 'answered', decision = ?, answer = ?, decidedBy = ?, answeredAt = ?,
         acknowledgedAt = COALESCE(acknowledgedAt, ?), updatedAt = ? WHERE id = ? AND status != 'answered'`,
      [input.decision, input.answer, input.by, at, at, at, request.id],
    );
    if (!changes) return { ok: false as const };
    await audit(sql, {
      actorKind: "staff",
      actorId: input.by,
      action: "privacy_request.answered",
      entity: "PrivacyRequest",
      entityId: request.id,
      after: { decision: input.decision, kind: request.kind, beneficiaryId: request.beneficiaryId },
      at: input.now,
    });
    const queued = await sql.run(QUEUE_ANSWER, { dedupeKey: `privacy_decision:request:${request.id}`, answer: input.answer, at, id: request.id });
    return { ok: true as const, queued: queued.changes };
  });
}
