import type Database from "better-sqlite3";
import pg from "pg";
import { applyPostgresMigrations } from "./migratePostgres.ts";

/** What the copy found, table by table: rows read from SQLite and rows found in PostgreSQL after. */
interface CopyCount {
  table: string;
  sqlite: number;
  postgres: number;
}

export interface CopyResult {
  migrationsApplied: string[];
  counts: CopyCount[];
  /** True when every table holds as many rows in PostgreSQL as in SQLite. */
  matches: boolean;
}

/** Refused before anything is copied: the target already holds data. */
class TargetNotEmptyError extends Error {}

const MIGRATIONS_TABLE = "_prisma_migrations";
const ROWS_PER_BATCH = 1_000;
/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;

interface TargetColumn {
  name: string;
  dataType: string;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Copies every application table of a SQLite database to an empty PostgreSQL database: applies the
 * PostgreSQL migrations to the target, refuses when any application table there has rows, then
 * copies parents before children in batches inside one PostgreSQL transaction (a failure leaves the
 * target without data), moves each id sequence past the copied ids, and compares the counts.
 * Never writes row contents anywhere: a failing row is named by its table and id.
 */
export async function copyToPostgres(
  sqlite: Database.Database,
  targetUrl: string,
  progress: (line: string) => void = () => undefined,
): Promise<CopyResult> {
  progress("applying the PostgreSQL migrations to the target");
  const migrationsApplied = await applyPostgresMigrations(targetUrl);
  progress(migrationsApplied.length ? `applied ${migrationsApplied.length} migrations` : "the target's schema is up to date");

  const client = new pg.Client({ connectionString: targetUrl });
  await client.connect();
  try {
    const targetTables = await readTargetColumns(client);
    const sqliteTables = new Set(
      (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?`).all(MIGRATIONS_TABLE) as { name: string }[]).map((r) => r.name),
    );
    for (const table of targetTables.keys()) {
      if (!sqliteTables.has(table)) throw new Error(`table ${table} exists in PostgreSQL but not in the SQLite database: are both migrated to the same schema?`);
    }
    for (const table of sqliteTables) {
      if (!targetTables.has(table)) throw new Error(`table ${table} exists in SQLite but not in PostgreSQL: are both migrated to the same schema?`);
    }

    const occupied: string[] = [];
    for (const table of targetTables.keys()) {
      const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${quote(table)}) AS "any"`);
      if (rows[0].any) occupied.push(table);
    }
    if (occupied.length) {
      throw new TargetNotEmptyError(
        `the target PostgreSQL database is not empty (rows in ${occupied.join(", ")}): copy-to-postgres only fills an empty database; nothing was copied`,
      );
    }

    const order = parentsFirst(sqlite, [...targetTables.keys()]);
    const counts: CopyCount[] = [];
    // One read transaction on SQLite: every table is read as of the same moment.
    sqlite.exec("BEGIN");
    try {
      await client.query("BEGIN");
      try {
        for (const table of order) {
          const copied = await copyTable(sqlite, client, table, targetTables.get(table)!, progress);
          counts.push({ table, sqlite: copied, postgres: 0 });
        }
        for (const table of order) await resetSequence(client, table, targetTables.get(table)!);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
      // Counted in SQLite within the same snapshot the rows were read from.
      for (const count of counts) {
        count.sqlite = (sqlite.prepare(`SELECT count(*) AS n FROM ${quote(count.table)}`).get() as { n: number }).n;
      }
    } finally {
      sqlite.exec("COMMIT");
    }
    for (const count of counts) {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${quote(count.table)}`);
      count.postgres = rows[0].n;
    }
    return { migrationsApplied, counts, matches: counts.every((c) => c.sqlite === c.postgres) };
  } finally {
    await client.end();
  }
}

/** The application tables of the target (public schema, not _prisma_migrations) and their columns. */
async function readTargetColumns(client: pg.Client): Promise<Map<string, TargetColumn[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> $1
      ORDER BY c.table_name, c.ordinal_position`,
    [MIGRATIONS_TABLE],
  );
  const tables = new Map<string, TargetColumn[]>();
  for (const row of rows) {
    if (!tables.has(row.table_name)) tables.set(row.table_name, []);
    tables.get(row.table_name)!.push({ name: row.column_name, dataType: row.data_type });
  }
  return tables;
}

/** The tables ordered so that every table comes after the tables its foreign keys point at. */
function parentsFirst(sqlite: Database.Database, tables: string[]): string[] {
  const parents = new Map<string, Set<string>>();
  for (const table of tables) {
    const keys = sqlite.prepare(`SELECT "table" AS parent FROM pragma_foreign_key_list(?)`).all(table) as { parent: string }[];
    parents.set(table, new Set(keys.map((k) => k.parent).filter((p) => p !== table && tables.includes(p))));
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  const remaining = [...tables].sort();
  while (remaining.length) {
    const next = remaining.findIndex((t) => [...parents.get(t)!].every((p) => placed.has(p)));
    if (next < 0) throw new Error(`the foreign keys between ${remaining.join(", ")} form a cycle: no order copies parents first`);
    const [table] = remaining.splice(next, 1);
    ordered.push(table);
    placed.add(table);
  }
  return ordered;
}

/** A SQLite DateTime value (ISO text with an offset, "YYYY-MM-DD HH:MM:SS" UTC, or ms since 1970) as UTC text for timestamp(3). */
function toTimestamp(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let date: Date;
  if (typeof value === "number" || typeof value === "bigint") {
    date = new Date(Number(value));
  } else {
    const text = String(value);
    // SQLite's CURRENT_TIMESTAMP writes UTC without a zone; so may a hand-written row.
    date = new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text.replace(" ", "T")}Z`);
  }
  if (Number.isNaN(date.getTime())) throw new Error("not a date");
  // timestamp without time zone holds UTC (as Prisma writes it); an offset in the text would be ignored, so none is sent.
  return date.toISOString().replace("Z", "");
}

function toBoolean(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (value === 0 || value === 1 || value === 0n || value === 1n) return Number(value) === 1;
  if (value === "true" || value === "false") return value === "true";
  throw new Error("not a boolean");
}

function convert(value: unknown, column: TargetColumn): unknown {
  if (column.dataType === "boolean") return toBoolean(value);
  if (column.dataType.startsWith("timestamp")) return toTimestamp(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** The row's id for messages (never its contents): the id column, or the SQLite rowid. */
const rowLabel = (row: Record<string, unknown>) => ("id" in row ? `id ${row.id}` : `rowid ${row.__rowid}`);

async function copyTable(
  sqlite: Database.Database,
  client: pg.Client,
  table: string,
  columns: TargetColumn[],
  progress: (line: string) => void,
): Promise<number> {
  const sqliteColumns = new Set((sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name));
  const missing = columns.filter((c) => !sqliteColumns.has(c.name)).map((c) => c.name);
  if (missing.length) throw new Error(`table ${table}: columns ${missing.join(", ")} exist in PostgreSQL but not in SQLite`);
  const extra = [...sqliteColumns].filter((c) => !columns.some((t) => t.name === c));
  if (extra.length) throw new Error(`table ${table}: columns ${extra.join(", ")} exist in SQLite but not in PostgreSQL`);

  const batchSize = Math.max(1, Math.min(ROWS_PER_BATCH, Math.floor(MAX_PARAMETERS / columns.length)));
  const select = sqlite.prepare(
    `SELECT rowid AS __rowid, ${columns.map((c) => quote(c.name)).join(", ")} FROM ${quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
  );
  const columnList = columns.map((c) => quote(c.name)).join(", ");
  let copied = 0;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = select.all(after, batchSize) as Record<string, unknown>[];
    if (!rows.length) break;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows) {
      const placeholders: string[] = [];
      for (const column of columns) {
        try {
          values.push(convert(row[column.name], column));
        } catch (error) {
          throw new Error(`table ${table}, ${rowLabel(row)}: column ${column.name} is ${(error as Error).message} (stored as ${typeof row[column.name]})`);
        }
        placeholders.push(`$${values.length}`);
      }
      tuples.push(`(${placeholders.join(", ")})`);
    }
    await client.query("SAVEPOINT batch");
    try {
      await client.query(`INSERT INTO ${quote(table)} (${columnList}) VALUES ${tuples.join(", ")}`, values);
      await client.query("RELEASE SAVEPOINT batch");
    } catch (error) {
      await client.query("ROLLBACK TO SAVEPOINT batch");
      throw await failingRow(client, table, columns, columnList, rows, error as pg.DatabaseError);
    }
    copied += rows.length;
    after = rows[rows.length - 1].__rowid as number;
    progress(`${table}: ${copied} rows`);
  }
  if (copied === 0) progress(`${table}: 0 rows`);
  return copied;
}

/**
 * After a batch failed: inserts its rows one at a time (each undone) to name the row that fails, by
 * table and id only. PostgreSQL's own message can quote values, so only its code and the
 * constraint or column it names are passed on.
 */
async function failingRow(
  client: pg.Client,
  table: string,
  columns: TargetColumn[],
  columnList: string,
  rows: Record<string, unknown>[],
  batchError: pg.DatabaseError,
): Promise<Error> {
  const describe = (e: pg.DatabaseError) =>
    [`PostgreSQL error ${e.code ?? "(no code)"}`, e.constraint && `constraint ${e.constraint}`, e.column && `column ${e.column}`].filter(Boolean).join(", ");
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(", ");
  for (const row of rows) {
    await client.query("SAVEPOINT one_row");
    try {
      await client.query(`INSERT INTO ${quote(table)} (${columnList}) VALUES (${placeholders})`, columns.map((c) => convert(row[c.name], c)));
      await client.query("ROLLBACK TO SAVEPOINT one_row");
    } catch (error) {
      await client.query("ROLLBACK TO SAVEPOINT one_row");
      return new Error(`copying ${table} failed at ${rowLabel(row)}: ${describe(error as pg.DatabaseError)}; nothing was copied`);
    }
  }
  return new Error(`copying ${table} failed in a batch of ${rows.length} rows (${describe(batchError)}); nothing was copied`);
}

/** Moves the table's id sequence (SERIAL) to its largest id, so new rows get new ids. */
async function resetSequence(client: pg.Client, table: string, columns: TargetColumn[]): Promise<void> {
  if (!columns.some((c) => c.name === "id")) return;
  const { rows } = await client.query<{ seq: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS seq`, [quote(table)]);
  const sequence = rows[0].seq;
  if (!sequence) return;
  await client.query(
    `SELECT setval($1::regclass, COALESCE((SELECT max("id") FROM ${quote(table)}), 1), (SELECT max("id") FROM ${quote(table)}) IS NOT NULL)`,
    [sequence],
  );
}
