import type { AppDatabase } from "../../db/database.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { audit } from "../audit.ts";
import { queuePaymentResultNotices } from "../outbox/queueResultNotices.ts";
import type { ImportProblem } from "./importReport.ts";
import type { ResultRow } from "./resultListRows.ts";
import { vietnamDate } from "./resultListValues.ts";
import { writeInBatches } from "./writeInBatches.ts";

/** The result fields of a payment, as stored. paidAt is the stored timestamp text. */
export interface StoredResult {
  id: number;
  status: string;
  paidAt: string | null;
  reference: string | null;
  failureReason: string | null;
}

export interface MatchedResult {
  row: ResultRow;
  payment: StoredResult;
}

const PAYMENTS_OF_PERIOD = `SELECT p.id, b.code, p.status, p.paidAt, p.reference, p.failureReason
  FROM Payment p JOIN Beneficiary b ON b.id = p.beneficiaryId WHERE p.periodId = ?`;

/**
 * The payments of the periods a results file names, by period and beneficiary code, loaded
 * once: each row is matched with a Map lookup instead of a query.
 */
export async function loadPaymentsOfPeriods(sql: Sql, periods: string[]): Promise<Map<string, Map<string, StoredResult>>> {
  const byPeriod = new Map<string, Map<string, StoredResult>>();
  for (const period of periods) {
    const found = await sql.get<{ id: number }>(`SELECT id FROM PaymentPeriod WHERE period = ?`, [period]);
    if (!found) continue;
    const byCode = new Map<string, StoredResult>();
    for (const { code, ...payment } of await sql.all<StoredResult & { code: string }>(PAYMENTS_OF_PERIOD, [found.id])) byCode.set(code, payment);
    byPeriod.set(period, byCode);
  }
  return byPeriod;
}

/** Finds each row's payment; a row whose code or payment is unknown gets a problem instead. */
export async function matchPayments(
  sql: Sql,
  rows: ResultRow[],
  byPeriod: Map<string, Map<string, StoredResult>>,
): Promise<{ matched: MatchedResult[]; problems: ImportProblem[] }> {
  const known = new Map<string, boolean>();
  const matched: MatchedResult[] = [];
  const problems: ImportProblem[] = [];
  for (const row of rows) {
    const payment = byPeriod.get(row.period)?.get(row.code);
    if (payment) {
      matched.push({ row, payment });
      continue;
    }
    let exists = known.get(row.code);
    if (exists === undefined) known.set(row.code, (exists = (await sql.get(`SELECT 1 AS found FROM Beneficiary WHERE code = ?`, [row.code])) !== undefined));
    if (!exists) {
      problems.push({ row: row.row, column: "beneficiary_code", reason: `no beneficiary has the code ${row.code}: check it against the payment list` });
    } else if (!byPeriod.has(row.period)) {
      problems.push({ row: row.row, column: "period", reason: `no payment list for ${row.period} has been imported: import it first, or check the period` });
    } else {
      problems.push({
        row: row.row,
        column: "period",
        reason: `${row.code} is not on the payment list of ${row.period}: check the period and the code`,
      });
    }
  }
  return { matched, problems };
}

/**
 * What a payment's result becomes with this row:
 * - status: the row's.
 * - paidAt: a failed payment was not paid (null); paid or returned take the row's date, or keep
 *   the stored one when the cell is blank (or gives only the day the stored time falls on).
 * - reference: the row's, or the stored one when the cell is blank.
 * - failureReason: none once paid; for failed or returned the row's, or the stored one when the
 *   cell is blank and the status does not change.
 */
function nextResult(current: StoredResult, row: ResultRow): StoredResult {
  let paidAt: string | null = null;
  if (row.status !== "failed") {
    const keepable = current.status === "paid" || current.status === "returned" ? current.paidAt : null;
    if (!row.paidAt) paidAt = keepable;
    else if (row.paidAt.dateOnly && keepable && vietnamDate(new Date(keepable)) === row.paidAt.localDate) paidAt = keepable;
    else paidAt = sqlTimestamp(row.paidAt.at);
  }
  const failureReason = row.status === "paid" ? null : (row.failureReason ?? (current.status === row.status ? current.failureReason : null));
  return { id: current.id, status: row.status, paidAt, reference: row.reference ?? current.reference, failureReason };
}

function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return a === b || Date.parse(a) === Date.parse(b);
}

function sameResult(a: StoredResult, b: StoredResult): boolean {
  return a.status === b.status && sameInstant(a.paidAt, b.paidAt) && a.reference === b.reference && a.failureReason === b.failureReason;
}

/** The audit view of a result: paidAt as an ISO instant. No personal numbers are in these fields. */
function auditValues(result: StoredResult) {
  return {
    status: result.status,
    paidAt: result.paidAt === null ? null : new Date(result.paidAt).toISOString(),
    reference: result.reference,
    failureReason: result.failureReason,
  };
}

const UPDATE_RESULT = `UPDATE Payment SET status = @status, paidAt = @paidAt, reference = @reference, failureReason = @failureReason,
    updatedAt = @now
  WHERE id = @id`;

/** The batch's payments as they are now, in one query (what another import or the service wrote since the preload counts). */
async function readResults(sql: Sql, ids: number[]): Promise<Map<number, StoredResult>> {
  const unique = [...new Set(ids)];
  const rows = await sql.all<StoredResult>(
    `SELECT id, status, paidAt, reference, failureReason FROM Payment WHERE id IN (${unique.map(() => "?").join(", ")})`,
    unique,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export interface ResultWriteOptions {
  dryRun: boolean;
  /** One transaction for everything. */
  allOrNothing: boolean;
  importRunId: number;
  now: Date;
  onProgress?: (done: number, total: number) => void;
}

export interface ResultWriteCounts {
  /** A first result for a payment that was scheduled. */
  created: number;
  /** A result that changes an earlier one (paid → returned, failed → paid) or its details. */
  updated: number;
  unchanged: number;
  /** Payments whose status changed: their people are told. */
  statusChanged: number;
  noticesQueued: number;
}

/**
 * Records the results in transactions of ROWS_PER_TRANSACTION rows: each payment is read again
 * inside the transaction (what another import or the service wrote since the preload counts),
 * changed only where it differs, audited, and, when its status changed, its notices are queued
 * in the same transaction, so a crash can lose neither. A dry run works from the preloaded
 * payments and writes nothing.
 */
export async function writeResults(db: AppDatabase, items: MatchedResult[], options: ResultWriteOptions): Promise<ResultWriteCounts> {
  const counts: ResultWriteCounts = { created: 0, updated: 0, unchanged: 0, statusChanged: 0, noticesQueued: 0 };
  const actorId = `import-run:${options.importRunId}`;
  const now = sqlTimestamp(options.now);

  const applyBatch = async (batch: MatchedResult[]) => {
    const toNotify: number[] = [];
    const stored = options.dryRun ? new Map<number, StoredResult>() : await readResults(db.sql, batch.map((m) => m.payment.id));
    for (const { row, payment } of batch) {
      const current = stored.get(payment.id) ?? payment;
      const next = nextResult(current, row);
      if (sameResult(current, next)) {
        counts.unchanged++;
        continue;
      }
      counts[current.status === "scheduled" ? "created" : "updated"]++;
      if (current.status !== next.status) {
        counts.statusChanged++;
        toNotify.push(current.id);
      }
      if (options.dryRun) continue;
      await db.sql.run(UPDATE_RESULT, { ...next, now });
      // The row just written: a later row of this batch for the same payment starts from it.
      stored.set(current.id, next);
      await audit(db.sql, {
        actorKind: "import",
        actorId,
        action: "payment.result",
        entity: "Payment",
        entityId: current.id,
        before: auditValues(current),
        after: auditValues(next),
        at: options.now,
      });
    }
    if (!options.dryRun) counts.noticesQueued += await queuePaymentResultNotices(db.sql, toNotify, options.now);
  };

  await writeInBatches(db.sql, items, applyBatch, options);
  return counts;
}
