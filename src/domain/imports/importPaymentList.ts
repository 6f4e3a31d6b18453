import fs from "node:fs";
import path from "node:path";
import type { AppDatabase } from "../../db/database.ts";
import { log } from "../../shared/log.ts";
import { validatedReport, type ImportReport } from "./importReport.ts";
import { locateColumns, type ColumnKey } from "./paymentListColumns.ts";
import { readTable } from "./readTable.ts";
import { recordImportRun, recordImportRunChanges } from "./importRuns.ts";
import { validatePaymentList } from "./validatePaymentList.ts";
import { writePaymentList } from "./writePaymentList.ts";

export { formatImportReport, ImportFileError,  type ImportReport } from "./importReport.ts";

export interface ImportOptions {
  /** Check the file and count what would change, writing nothing but the ImportRun record. */
  dryRun?: boolean;
  /** Write nothing at all if any row is bad (by default good rows land and bad rows are reported). */
  allOrNothing?: boolean;
  /** The deployment secret (loadSecret()): keys the citizen-ID hash and seals account numbers. */
  secret: Buffer;
  /** Called every ~5,000 rows written, with the number of accepted rows as the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Imports the monthly payment list (CSV or XLSX) the labour office exports: beneficiaries,
 * their communes and guardians, the period and each payment. The list is the source of truth for
 * the period: importing it again changes nothing, a corrected list updates what differs and
 * audits it. Problems with the file as a whole (type, missing column, encoding) throw
 * ImportFileError before anything is written; problems with rows are reported per row.
 */
export async function importPaymentList(db: AppDatabase, filePath: string, options: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const fileName = path.basename(filePath);
  const bytes = fs.readFileSync(filePath);
  const table = await readTable(fileName, bytes);
  const layout = locateColumns(table.rows);
  const columns = new Set<ColumnKey>(layout.indexByKey.keys());

  const { accepted, rejected, problems } = validatePaymentList(table, layout);

  const report: ImportReport = {
    ...validatedReport(fileName, { accepted: accepted.length, rejected, problems }, options),
    periods: [],
    ignoredColumns: layout.ignored,
  };
  const { dryRun, aborted } = report;
  if (!aborted) report.periods = [...new Set(accepted.map((r) => r.period))].sort();

  // The run is recorded first so that audit entries can name it as their actor.
  const importRunId = await recordImportRun(db.sql, "payments", report, bytes);
  if (!aborted && accepted.length) {
    const counts = await writePaymentList(db, accepted, {
      dryRun,
      allOrNothing: options.allOrNothing ?? false,
      secret: options.secret,
      columns,
      importRunId,
      onProgress: options.onProgress,
    });
    Object.assign(report, counts);
    await recordImportRunChanges(db.sql, importRunId, counts);
  }

  log.info("payment list imported", {
    importRunId,
    file: fileName,
    rows: report.rows,
    accepted: report.accepted,
    rejected: report.rejected,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    dryRun,
    aborted,
    ms: Date.now() - started,
  });
  return report;
}
