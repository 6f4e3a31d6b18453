import type { AppDatabase } from "../../db/database.ts";
import { formatImportReport, validatedReport, type ImportProblem, type ImportReport } from "./importReport.ts";
import { readListFile } from "./readTable.ts";
import { writeAsImportRun } from "./importRuns.ts";
import { locateResultColumns } from "./resultListColumns.ts";
import { validateResultRows } from "./resultListRows.ts";
import { RESULT_STATUSES, type ResultStatus } from "./resultListValues.ts";
import { loadPaymentsOfPeriods, matchPayments, writeResults } from "./resultListWrite.ts";

export interface ResultImportOptions {
  /** Check the file and count what would change, writing nothing but the ImportRun record (and queuing no notice). */
  dryRun?: boolean;
  /** Write nothing at all if any row is bad (by default good rows land and bad rows are reported). */
  allOrNothing?: boolean;
  /** Called every ~5,000 rows written, with the number of accepted rows as the total. */
  onProgress?: (done: number, total: number) => void;
  /** The clock: a paid_at after it is refused; notices are due from it. */
  now?: Date;
}

/**
 * What a results import did. Accepted rows are counted as the payment list's are: `created` is a
 * first result for a payment that was still scheduled, `updated` a result that changes an earlier
 * one (paid → returned, failed → paid) or its date, reference or reason, `unchanged` the rest.
 */
export interface ResultImportReport extends ImportReport {
  /** Accepted rows by the status they report. */
  byStatus: Record<ResultStatus, number>;
  /** Payments whose status changed (in a dry run: would change): the people to be told. */
  statusChanged: number;
  /** Messages queued in the outbox (one per reachable identity of each such payment; 0 in a dry run). */
  noticesQueued: number;
  /** Accepted failed or returned rows without a failure_reason: accepted, and the person is told without a reason. */
  withoutReason: number;
}

/**
 * Imports the payment results (CSV or XLSX) a bank, mobile-money provider or the post office
 * reports for a period: paid, failed or returned, with when, the transaction reference and why
 * it failed. Problems with the file as a whole throw ImportFileError before anything is written;
 * problems with rows are reported per row with the column and what to do. Importing the same
 * file again changes nothing and queues nothing; a later file may change a result (money paid,
 * then returned), and every change is audited and told to the people concerned.
 */
export async function importResultList(db: AppDatabase, filePath: string, options: ResultImportOptions = {}): Promise<ResultImportReport> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const { fileName, bytes, table } = await readListFile(filePath);
  const layout = locateResultColumns(table.rows);

  const validation = validateResultRows(table, layout, now);
  const periods = [...new Set(validation.rows.map((r) => r.period))].sort();
  const payments = await loadPaymentsOfPeriods(db.sql, periods);
  const { matched, problems: unmatched } = await matchPayments(db.sql, validation.rows, payments);
  const problems: ImportProblem[] = [...[...validation.problemsByRow.values()].flat(), ...unmatched].sort((a, b) => a.row - b.row);
  const rejected = validation.problemsByRow.size + unmatched.length;

  const byStatus = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;
  let withoutReason = 0;
  for (const { row, payment } of matched) {
    byStatus[row.status]++;
    const keepsReason = payment.status === row.status && payment.failureReason;
    if (row.status !== "paid" && !row.failureReason && !keepsReason) withoutReason++;
  }
  const report: ResultImportReport = {
    ...validatedReport(fileName, { accepted: matched.length, rejected, problems }, options),
    periods: [],
    ignoredColumns: layout.ignored,
    byStatus,
    statusChanged: 0,
    noticesQueued: 0,
    withoutReason,
  };
  if (report.aborted) {
    report.byStatus = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;
    report.withoutReason = 0;
  } else {
    report.periods = [...new Set(matched.map((m) => m.row.period))].sort();
  }

  await writeAsImportRun(db.sql, {
    kind: "results",
    report,
    bytes,
    now,
    write: (importRunId) =>
      writeResults(db, matched, {
        dryRun: report.dryRun,
        allOrNothing: options.allOrNothing ?? false,
        importRunId,
        now,
        onProgress: options.onProgress,
      }),
    logged: { message: "payment results imported", started, also: ["noticesQueued"] },
  });
  return report;
}

/** The report for the CLI: the counts every list import prints, then what the results mean for people. */
export function formatResultImportReport(report: ResultImportReport, locale = "en"): string {
  const n = (value: number) => value.toLocaleString(locale);
  const text = formatImportReport(report, locale, "Payment results");
  if (report.aborted) return text;
  const extra = [
    `by status: paid ${n(report.byStatus.paid)}, failed ${n(report.byStatus.failed)}, returned ${n(report.byStatus.returned)}`,
    report.dryRun
      ? `to tell:   ${n(report.statusChanged)} payments would change status (a dry run queues no notice)`
      : `notices:   ${n(report.noticesQueued)} queued, for ${n(report.statusChanged)} payments whose status changed`,
  ];
  if (report.withoutReason) {
    extra.push(
      `Note: ${n(report.withoutReason)} failed or returned rows have no failure_reason. They were accepted: the people are told the payment ` +
        `did not go through and what to do next, without a reason. A reason imported later shows in their payment status, but sends no second message.`,
    );
  }
  // After the counts, before the closing remarks and the problems.
  const lines = text.split("\n");
  const at = lines.findIndex((line) => line.startsWith("unchanged:")) + 1;
  lines.splice(at, 0, ...extra);
  return lines.join("\n");
}
