import type { Sql } from "../../db/sql/sql.ts";
import type { Row } from "../../db/query/tables.ts";
import { maskAccount } from "../../shared/mask.ts";
import { maskPhone } from "../../shared/phone.ts";
import { unseal } from "../../shared/secrets.ts";
import { auditWriter } from "../audit.ts";
import { queueDecisionNotice } from "../outbox/queueDecisionNotice.ts";
import { scopeCondition, type StaffScope } from "../staffScope.ts";
import { decideMethodChange, type DecideMethodChangeInput, type DecideMethodChangeResult } from "./decideMethodChange.ts";
import { listMethodChanges, type MethodChangeListing } from "./listMethodChanges.ts";

/** A request waiting for staff, with how long it has waited. */
export interface PendingMethodChange extends MethodChangeListing {
  ageMs: number;
}

/** Pending requests of the communes in the scope, oldest first, accounts masked. */
export async function pendingMethodChanges(sql: Sql, scope: StaffScope, now: Date = new Date()): Promise<PendingMethodChange[]> {
  return (await listMethodChanges(sql, { status: "pending", scope })).map((request) => ({ ...request, ageMs: now.getTime() - request.createdAt.getTime() }));
}

export type RevealResult =
  | { ok: true; reference: string; requestedMethod: string; accountProvider: string | null; accountNumber: string | null; walletPhone: string | null }
  | { ok: false; error: "not_found" | "nothing_to_reveal" | "invalid"; message: string };

type SealedRow = Pick<Row<"MethodChangeRequest">, "id" | "reference" | "requestedMethod" | "accountProvider" | "accountNumberSealed" | "accountLast4" | "walletPhone">;

/**
 * The full account number (and wallet phone) of a request, for the member of staff verifying it,
 * written to the audit log (who, which request, which account by its last digits: never the
 * number). Only for a request of a commune in their scope: any other is "not_found".
 */
export async function revealAccount(
  sql: Sql,
  secret: Buffer,
  requestId: number,
  byUsername: string,
  scope: StaffScope,
  now: Date = new Date(),
): Promise<RevealResult> {
  const by = byUsername.trim();
  if (!by) return { ok: false, error: "invalid", message: "Say who looks at the account (username)." };
  const row = Number.isSafeInteger(requestId)
    ? await sql.get<SealedRow>(
        `SELECT r.id, r.reference, r.requestedMethod, r.accountProvider, r.accountNumberSealed, r.accountLast4, r.walletPhone
         FROM MethodChangeRequest r JOIN Beneficiary b ON b.id = r.beneficiaryId WHERE r.id = ? AND ${scopeCondition(scope, "b.communeId")}`,
        [requestId],
      )
    : undefined;
  if (!row) return { ok: false, error: "not_found", message: `No method-change request ${requestId} that you may see.` };
  if (!row.accountNumberSealed && !row.walletPhone) {
    return { ok: false, error: "nothing_to_reveal", message: `Request ${row.reference} names no account or wallet (${row.requestedMethod}).` };
  }
  let accountNumber: string | null;
  try {
    accountNumber = row.accountNumberSealed ? unseal(row.accountNumberSealed, secret) : null;
  } catch {
    throw new Error(`The account of request ${row.reference} cannot be opened with this deployment's secret (ANSINH_SECRET or data/secret.key).`);
  }
  await auditWriter(sql)({
    actorKind: "staff",
    actorId: by,
    action: "method_change.account_revealed",
    entity: "MethodChangeRequest",
    entityId: row.id,
    after: { reference: row.reference, account: row.accountLast4 ? maskAccount(row.accountLast4) : null, walletPhone: row.walletPhone ? maskPhone(row.walletPhone) : null },
    at: now,
  });
  return { ok: true, reference: row.reference, requestedMethod: row.requestedMethod, accountProvider: row.accountProvider, accountNumber, walletPhone: row.walletPhone };
}

/**
 * Approves or rejects a request (decideMethodChange, within the decider's scope) and, in the same
 * transaction, queues the notice that tells the requester the outcome on the channel they asked on.
 * The one path the console and `ansinh method-changes approve|reject` share. `notified`: notices queued.
 */
export async function decideMethodChangeAndNotify(
  sql: Sql,
  input: Omit<DecideMethodChangeInput, "onDecided">,
): Promise<(Extract<DecideMethodChangeResult, { ok: true }> & { notified: number }) | Extract<DecideMethodChangeResult, { ok: false }>> {
  let notified = 0;
  const result = await decideMethodChange(sql, {
    ...input,
    onDecided: async (decided, inTransaction) => {
      // queueDecisionNotice is the outbox's (converted in parallel): awaited, on the Sql.
      notified = await queueDecisionNotice(inTransaction, decided, decided.decidedAt);
    },
  });
  return result.ok ? { ...result, notified } : result;
}
