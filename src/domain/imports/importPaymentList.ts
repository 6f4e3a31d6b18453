import type { AppDatabase } from "../../db/database.ts";
import { validatedReport, type ImportReport } from "./importReport.ts";
import { locateColumns, type ColumnKey } from "./paymentListColumns.ts";
import { readListFile } from "./readTable.ts";
import { writeAsImportRun } from "./importRuns.ts";
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
  const { fileName, bytes, table } = await readListFile(filePath);
  const layout = locateColumns(table.rows);
  const columns = new Set<ColumnKey>(layout.indexByKey.keys());

  const { accepted, rejected, problems } = validatePaymentList(table, layout);

  const report: ImportReport = {
    ...validatedReport(fileName, { accepted: accepted.length, rejected, problems }, options),
    periods: [],
    ignoredColumns: layout.ignored,
  };
  if (!report.aborted) report.periods = [...new Set(accepted.map((r) => r.period))].sort();

  await writeAsImportRun(db.sql, {
    kind: "payments",
    report,
    bytes,
    write: (importRunId) =>
      writePaymentList(db, accepted, {
        dryRun: report.dryRun,
        allOrNothing: options.allOrNothing ?? false,
        secret: options.secret,
        columns,
        importRunId,
        onProgress: options.onProgress,
      }),
    logged: { message: "payment list imported", started },
  });
  return report;
}
