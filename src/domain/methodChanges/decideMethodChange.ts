import type { Sql } from "../../db/sql/sql.ts";
import type { Row } from "../../db/query/tables.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { auditWriter } from "../audit.ts";
import { ALL_COMMUNES, scopeCondition, type StaffScope } from "../staffScope.ts";

export type MethodChangeDecision = "approve" | "reject";

/** A request as decided: what the console (or a notice) needs to tell the person the outcome. */
export interface DecidedMethodChange {
  id: number;
  reference: string;
  beneficiaryId: number;
  status: "approved" | "rejected";
  requestedMethod: string;
  /** Who asked, and where: the person to tell. */
  requestedByKind: string;
  requestedById: number;
  channel: string;
  decidedAt: Date;
  decidedBy: string;
  decisionReason: string | null;
  /** References of older approved (not yet exported) requests of the same beneficiary this approval cancelled. */
  superseded: string[];
}

/**
 * Called inside the decision's transaction, after the request is updated and audited: the place
 * where telling the person the outcome (queuing an outbox notice) belongs, so the decision and
 * the message land together or not at all. Throwing undoes the decision.
 */
type MethodChangeDecidedHook = (decided: DecidedMethodChange, sql: Sql) => Promise<void>;

export interface DecideMethodChangeInput {
  reference: string;
  decision: MethodChangeDecision;
  /** The staff member deciding, as they sign (a name or staff login). */
  by: string;
  /** Required to reject (told to the person); optional note when approving. */
  reason?: string | null;
  now?: Date;
  onDecided?: MethodChangeDecidedHook;
  /** The communes the decider may act on (all by default, as on the command line): a request of another commune is "not_found". */
  scope?: StaffScope;
}

export type DecideMethodChangeResult =
  | { ok: true; request: DecidedMethodChange }
  | { ok: false; error: "invalid" | "not_found" | "not_pending"; status?: string; message: string };

const DECIDE = `UPDATE MethodChangeRequest SET status = @status, decidedAt = @at, decidedBy = @by, decisionReason = @reason, updatedAt = @at
  WHERE id = @id AND status = 'pending'`;
const OLDER_APPROVED = `SELECT id, reference FROM MethodChangeRequest WHERE beneficiaryId = ? AND status = 'approved' AND id != ?`;
const CANCEL = `UPDATE MethodChangeRequest SET status = 'cancelled', decisionReason = @note, updatedAt = @at WHERE id = @id AND status = 'approved'`;

const MAX_BY_LENGTH = 100;
const MAX_REASON_LENGTH = 500;

type RequestRow = Pick<Row<"MethodChangeRequest">, "id" | "reference" | "beneficiaryId" | "status" | "requestedMethod" | "requestedByKind" | "requestedById" | "channel">;

/**
 * Approves or rejects a pending method-change request: sets decidedAt, decidedBy and
 * decisionReason and writes an audit entry, in one transaction. Only a pending request can be
 * decided (a decided, exported or cancelled one is refused, naming its status). Approving a request
 * cancels any older approved request of the same beneficiary not yet exported: the labour office
 * gets one change per person, the latest. Does not change the beneficiary's payment method: that
 * comes with the next payment list.
 */
export async function decideMethodChange(sql: Sql, input: DecideMethodChangeInput): Promise<DecideMethodChangeResult> {
  const reference = input.reference.trim().toUpperCase();
  const by = input.by.replace(/\s+/g, " ").trim();
  const reason = input.reason?.replace(/\s+/g, " ").trim() || null;
  if (!reference) return { ok: false, error: "invalid", message: "Give the request's reference (e.g. YC7K3P2Q)." };
  if (!by) return { ok: false, error: "invalid", message: "Say who decides (--by NAME)." };
  if (by.length > MAX_BY_LENGTH) return { ok: false, error: "invalid", message: `--by is ${by.length} characters long: keep it under ${MAX_BY_LENGTH}.` };
  if (input.decision === "reject" && !reason) {
    return { ok: false, error: "invalid", message: "A rejection needs a reason (--reason TEXT): the person is told why." };
  }
  if (reason && reason.length > MAX_REASON_LENGTH) {
    return { ok: false, error: "invalid", message: `The reason is ${reason.length} characters long: keep it under ${MAX_REASON_LENGTH}.` };
  }
  const now = input.now ?? new Date();
  const at = sqlTimestamp(now);
  const status = input.decision === "approve" ? "approved" : "rejected";

  const find = `SELECT r.id, r.reference, r.beneficiaryId, r.status, r.requestedMethod, r.requestedByKind, r.requestedById, r.channel
     FROM MethodChangeRequest r JOIN Beneficiary b ON b.id = r.beneficiaryId
     WHERE r.reference = ? AND ${scopeCondition(input.scope ?? ALL_COMMUNES, "b.communeId")}`;
  const writeAudit = auditWriter(sql);
  const audit = (action: string, id: number, before: unknown, after: unknown) =>
    writeAudit({ actorKind: "staff", actorId: by, action, entity: "MethodChangeRequest", entityId: id, before, after, at: now });

  return sql.transaction(async (): Promise<DecideMethodChangeResult> => {
      const request = await sql.get<RequestRow>(find, [reference]);
      if (!request) return { ok: false, error: "not_found", message: `No method-change request has the reference ${reference}.` };
      if (request.status !== "pending") {
        return {
          ok: false,
          error: "not_pending",
          status: request.status,
          message: `Request ${reference} is ${request.status}, not pending: only pending requests can be approved or rejected.`,
        };
      }
      // Another instance may have decided it since it was read (PostgreSQL): the status condition tells.
      if ((await sql.run(DECIDE, { status, at, by, reason, id: request.id })).changes === 0) {
        return { ok: false, error: "not_pending", message: `Request ${reference} was decided by someone else just now.` };
      }
      await audit(`method_change.${status}`, request.id, { status: "pending" }, { status, decidedBy: by, decisionReason: reason });
      const superseded: string[] = [];
      if (status === "approved") {
        for (const older of await sql.all<{ id: number; reference: string }>(OLDER_APPROVED, [request.beneficiaryId, request.id])) {
          const note = `superseded by ${request.reference}, approved later`;
          await sql.run(CANCEL, { note, at, id: older.id });
          await audit("method_change.cancelled", older.id, { status: "approved" }, { status: "cancelled", decisionReason: note });
          superseded.push(older.reference);
        }
      }
      const decided: DecidedMethodChange = {
        id: request.id,
        reference: request.reference,
        beneficiaryId: request.beneficiaryId,
        status,
        requestedMethod: request.requestedMethod,
        requestedByKind: request.requestedByKind,
        requestedById: request.requestedById,
        channel: request.channel,
        decidedAt: now,
        decidedBy: by,
        decisionReason: reason,
        superseded,
      };
      await input.onDecided?.(decided, sql);
      return { ok: true, request: decided };
  });
}
