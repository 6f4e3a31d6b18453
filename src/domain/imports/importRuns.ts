import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";
import type { ListImportReport } from "./importReport.ts";

/**
 * Records one import of a list (which file, by its hash, and what became of its rows). Payment and
 * result imports record it before writing, so audit entries can name the run as their actor, and
 * fill in `changed` afterwards with `recordImportRunChanges`.
 */
export function recordImportRun(sql: Database.Database, kind: string, report: ListImportReport, bytes: Buffer, now = new Date()): number {
  const fileHash = createHash("sha256").update(bytes).digest("hex");
  const result = sql
    .prepare(
      `INSERT INTO ImportRun (kind, fileName, fileHash, rows, accepted, rejected, changed, dryRun, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(kind, report.fileName, fileHash, report.rows, report.accepted, report.rejected, report.created + report.updated, report.dryRun ? 1 : 0, sqlTimestamp(now));
  return Number(result.lastInsertRowid);
}

/** How many records the run created or changed, once writing is done. */
export function recordImportRunChanges(sql: Database.Database, importRunId: number, counts: { created: number; updated: number }): void {
  sql.prepare(`UPDATE ImportRun SET changed = ? WHERE id = ?`).run(counts.created + counts.updated, importRunId);
}
