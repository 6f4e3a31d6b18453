import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { log } from "../../shared/log.ts";
import { migrationNames } from "../migrationNames.ts";

export const POSTGRES_MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../prisma/postgresql/migrations");

/**
 * The advisory lock every instance takes while migrating (any constant the database does not use
 * for something else: the digits spell "ANSINH" on a phone keypad).
 */
const MIGRATION_LOCK = 267_464;

// Prisma's own definition, so `prisma migrate status` (and a later move to Prisma's runner) reads our records.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface Recorded {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/**
 * Applies the pending PostgreSQL migrations (prisma/postgresql/migrations, generated from the
 * SQLite schema) and returns their names. We apply them ourselves because `prisma migrate deploy`
 * does not work through the PostgreSQL driver adapter (toolchain.md). Each migration runs in its
 * own transaction together with its record, so one that fails leaves nothing behind and is tried
 * again at the next start. A session-level advisory lock makes instances that start together take
 * turns: the first applies, the others wait, then find nothing left to do.
 */
export async function applyPostgresMigrations(url: string, dir: string = POSTGRES_MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      return await applyPending(client, dir);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    await client.end();
  }
}

async function applyPending(client: pg.Client, dir: string): Promise<string[]> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<Recorded>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  // A migration started and never finished was recorded by another tool (ours records only on
  // commit): as Prisma does, refuse to guess what state it left.
  const unfinished = rows.find((r) => r.finished_at === null);
  if (unfinished) {
    throw new Error(
      `PostgreSQL migration ${unfinished.migration_name} is recorded as started but not finished: check the database by hand, then mark it rolled back (rolled_back_at) in _prisma_migrations`,
    );
  }
  const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
  const done: string[] = [];
  for (const name of migrationNames(dir)) {
    const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    if (applied.has(name)) {
      if (applied.get(name) !== checksum) log.warn("an applied PostgreSQL migration has changed since; the database keeps what was applied", { migration: name });
      continue;
    }
    const startedAt = new Date();
    await client.query("BEGIN");
    try {
      await client.query(sql);
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
        [randomUUID(), checksum, name, startedAt],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined); // a lost connection has rolled back already
      throw new Error(`PostgreSQL migration ${name} failed (nothing of it was applied): ${(error as Error).message}`);
    }
    done.push(name);
  }
  return done;
}
