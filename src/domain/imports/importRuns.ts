import { createHash } from "node:crypto";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { log } from "../../shared/log.ts";
import type { ListImportReport } from "./importReport.ts";

const INSERT_RUN = `INSERT INTO ImportRun (kind, fileName, fileHash, rows, accepted, rejected, changed, dryRun, createdAt)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`;

/**
 * Records one import of a list (which file, by its hash, and what became of its rows). Payment and
 * result imports record it before writing (see writeAsImportRun), so audit entries can name the
 * run as their actor, and fill in `changed` afterwards.
 */
export async function recordImportRun(sql: Sql, kind: string, report: ListImportReport, bytes: Buffer, now = new Date()): Promise<number> {
  const fileHash = createHash("sha256").update(bytes).digest("hex");
  const changed = report.created + report.updated;
  const row = await sql.get<{ id: number }>(INSERT_RUN, [
    kind,
    report.fileName,
    fileHash,
    report.rows,
    report.accepted,
    report.rejected,
    changed,
    report.dryRun,
    sqlTimestamp(now),
  ]);
  return Number(row!.id);
}

/** How many records the run created or changed, once writing is done. */
async function recordImportRunChanges(sql: Sql, importRunId: number, counts: { created: number; updated: number }): Promise<void> {
  await sql.run(`UPDATE ImportRun SET changed = ? WHERE id = ?`, [counts.created + counts.updated, importRunId]);
}

/** A validated list import, ready to be written as one run. */
interface ImportRunToWrite<R extends ListImportReport> {
  kind: "payments" | "results";
  /** Filled in with the counts `write` returns. */
  report: R;
  /** The file as read: its hash is kept with the run. */
  bytes: Buffer;
  /** When the run happened (by default now). */
  now?: Date;
  /** Writes the accepted rows (in a dry run, counts what writing them would change), as the run `importRunId`. */
  write: (importRunId: number) => Promise<Partial<NoInfer<R>> & { created: number; updated: number }>;
  /** The log line: its message, when the import began (Date.now()), and fields of the report it names besides the counts every import has. */
  logged: { message: string; started: number; also?: (keyof NoInfer<R> & string)[] };
}

/**
 * The end of a payment or a results import: the run is recorded first, so that audit entries can
 * name it as their actor; then the accepted rows are written (none if there are none or the import
 * was aborted) and the run's `changed` filled in; then the counts are logged, never a row's content.
 */
export async function writeAsImportRun<R extends ListImportReport>(sql: Sql, run: ImportRunToWrite<R>): Promise<void> {
  const { report } = run;
  const importRunId = await recordImportRun(sql, run.kind, report, run.bytes, run.now);
  // An aborted import accepts nothing (validatedReport), so this also skips it.
  if (report.accepted > 0) {
    const counts = await run.write(importRunId);
    Object.assign(report, counts);
    await recordImportRunChanges(sql, importRunId, counts);
  }
  const { message, started, also = [] } = run.logged;
  log.info(message, {
    importRunId,
    file: report.fileName,
    rows: report.rows,
    accepted: report.accepted,
    rejected: report.rejected,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    ...Object.fromEntries(also.map((field) => [field, report[field]])),
    dryRun: report.dryRun,
    aborted: report.aborted,
    ms: Date.now() - started,
  });
}
