import { createHash } from "node:crypto";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { ListImportReport } from "./importReport.ts";

const INSERT_RUN = `INSERT INTO ImportRun (kind, fileName, fileHash, rows, accepted, rejected, changed, dryRun, createdAt)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`;

/**
 * Records one import of a list (which file, by its hash, and what became of its rows). Payment and
 * result imports record it before writing, so audit entries can name the run as their actor, and
 * fill in `changed` afterwards with `recordImportRunChanges`.
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
export async function recordImportRunChanges(sql: Sql, importRunId: number, counts: { created: number; updated: number }): Promise<void> {
  await sql.run(`UPDATE ImportRun SET changed = ? WHERE id = ?`, [counts.created + counts.updated, importRunId]);
}
