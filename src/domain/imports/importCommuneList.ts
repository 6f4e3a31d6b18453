import type { AppDatabase } from "../../db/database.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { audit } from "../audit.ts";
import { log } from "../../shared/log.ts";
import { matchKey } from "../../shared/text.ts";
import { rowCells } from "./cellText.ts";
import { isLayoutRow } from "./columnLayout.ts";
import { COMMUNE_FIELD_BY_COLUMN, COMMUNE_FIELD_MAX_LENGTH, locateCommuneColumns, type CommuneColumnKey } from "./communeListColumns.ts";
import { validatedReport, type ImportProblem, type ListImportReport } from "./importReport.ts";
import { readListFile } from "./readTable.ts";
import { recordImportRun } from "./importRuns.ts";

type CommuneField = (typeof COMMUNE_FIELD_BY_COLUMN)[keyof typeof COMMUNE_FIELD_BY_COLUMN];
interface CommuneRow {
  row: number;
  key: string;
  name: string;
  /** Only the fields the file has a non-blank cell for: a blank cell keeps what is stored. */
  fields: Partial<Record<CommuneField, string>>;
}

const PHONE_LIKE = /^[+\d][\d\s.()-]{6,}$/;

/**
 * Imports commune information (office address, hours, phone, pay-point schedule) from CSV or XLSX,
 * with the same rules as the payment list: bad rows reported by row and column, good rows land
 * (or none with allOrNothing), importing twice changes nothing, changes are audited.
 */
export async function importCommuneList(
  db: AppDatabase,
  filePath: string,
  options: { dryRun?: boolean; allOrNothing?: boolean } = {},
): Promise<ListImportReport> {
  const { fileName, bytes, table } = await readListFile(filePath);
  const layout = locateCommuneColumns(table.rows);
  const problems: ImportProblem[] = [];
  const accepted: CommuneRow[] = [];
  const seen = new Map<string, number>();
  let rejected = 0;
  for (const row of table.rows) {
    if (row.rowNumber <= layout.headerRowNumber || isLayoutRow(row, layout, "commune")) continue;
    const cells = rowCells<CommuneColumnKey>(row.rowNumber, row.cells, layout.indexByKey);
    const rowProblems: ImportProblem[] = cells.spoilt.map((s) => ({ row: row.rowNumber, column: s.column, reason: s.reason }));
    const name = (cells.text.commune ?? "").replace(/\s+/g, " ").replace(/^(xã|phường|thị trấn)\s+/i, "");
    const key = matchKey(name);
    if (!name) rowProblems.push({ row: row.rowNumber, column: "commune", reason: "is empty: write the commune's name" });
    else if (seen.has(key)) rowProblems.push({ row: row.rowNumber, column: "commune", reason: `the same commune is on row ${seen.get(key)} already` });
    const fields: CommuneRow["fields"] = {};
    for (const [column, field] of Object.entries(COMMUNE_FIELD_BY_COLUMN) as [keyof typeof COMMUNE_FIELD_BY_COLUMN, CommuneField][]) {
      const value = (cells.text[column] ?? "").replace(/\s+/g, " ").trim();
      if (!value) continue;
      if (value.length > COMMUNE_FIELD_MAX_LENGTH[column]) {
        rowProblems.push({ row: row.rowNumber, column, reason: `is ${value.length} characters long: keep it under ${COMMUNE_FIELD_MAX_LENGTH[column]}` });
      } else if (column === "office_phone" && !PHONE_LIKE.test(value)) {
        rowProblems.push({ row: row.rowNumber, column, reason: "is not a phone number: write digits, e.g. 0205 3 837 000" });
      } else {
        fields[field] = value;
      }
    }
    if (rowProblems.length) {
      rejected++;
      problems.push(...rowProblems);
      continue;
    }
    seen.set(key, row.rowNumber);
    accepted.push({ row: row.rowNumber, key, name, fields });
  }

  const report = validatedReport(fileName, { accepted: accepted.length, rejected, problems }, options);
  const { dryRun, aborted } = report;
  if (!aborted) Object.assign(report, await writeCommunes(db, accepted, dryRun));
  await recordImportRun(db.sql, "communes", report, bytes);
  log.info("commune list imported", { file: fileName, rows: report.rows, accepted: report.accepted, rejected, dryRun, aborted });
  return report;
}

const COMMUNE_FIELDS = Object.values(COMMUNE_FIELD_BY_COLUMN);
type StoredCommune = { id: number; key: string } & Record<CommuneField, string | null>;

const INSERT_COMMUNE = `INSERT INTO Commune (key, name, ${COMMUNE_FIELDS.join(", ")}, createdAt, updatedAt)
  VALUES (${["?", "?", ...COMMUNE_FIELDS.map(() => "?"), "?", "?"].join(", ")})`;

/** Writes the accepted rows in one transaction (a commune list is a few hundred rows at most), auditing each change. */
async function writeCommunes(db: AppDatabase, rows: CommuneRow[], dryRun: boolean) {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const stored = await db.sql.all<StoredCommune>(`SELECT id, key, ${COMMUNE_FIELDS.join(", ")} FROM Commune`);
  const existing = new Map(stored.map((c) => [c.key, c]));
  const writes: (() => Promise<void>)[] = [];
  for (const row of rows) {
    const current = existing.get(row.key);
    if (!current) {
      counts.created++;
      writes.push(async () => {
        const now = sqlTimestamp();
        await db.sql.run(INSERT_COMMUNE, [row.key, row.name, ...COMMUNE_FIELDS.map((f) => row.fields[f] ?? null), now, now]);
      });
      continue;
    }
    // Only the fields of the fixed list above go into the statement's text.
    const changed = (Object.keys(row.fields) as CommuneField[]).filter((f) => current[f] !== row.fields[f]);
    if (changed.length === 0) {
      counts.unchanged++;
      continue;
    }
    counts.updated++;
    const before = Object.fromEntries(changed.map((f) => [f, current[f]]));
    const after = Object.fromEntries(changed.map((f) => [f, row.fields[f]]));
    writes.push(async () => {
      const at = new Date();
      await db.sql.run(`UPDATE Commune SET ${changed.map((f) => `${f} = ?`).join(", ")}, updatedAt = ? WHERE id = ?`, [
        ...changed.map((f) => row.fields[f]),
        sqlTimestamp(at),
        current.id,
      ]);
      await audit(db.sql, { actorKind: "import", actorId: null, action: "commune.updated", entity: "Commune", entityId: current.id, before, after, at });
    });
  }
  if (!dryRun && writes.length) {
    await db.sql.transaction(async () => {
      for (const write of writes) await write();
    });
  }
  return counts;
}
