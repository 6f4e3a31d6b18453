import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { migrationNames } from "./migrationNames.ts";

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prisma/migrations");

/**
 * Applies pending Prisma migrations to a SQLite database, recording them in Prisma's own
 * `_prisma_migrations` table so `prisma migrate status` agrees. We apply them ourselves
 * because spawning the Prisma CLI costs seconds on every command, and `migrate deploy` does
 * not work through the PostgreSQL adapter a later deployment will use.
 * BEGIN IMMEDIATE takes the write lock first, so two processes starting on the same file
 * (the service and an import) cannot both apply the same migration.
 */
export function applyMigrations(db: Database.Database, dir = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
  const names = migrationNames(dir);
  const applied: string[] = [];
  const isApplied = db.prepare(
    `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  const record = db.prepare(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
     VALUES (?, ?, ?, ?, ?, 1)`,
  );
  for (const name of names) {
    if (isApplied.get(name)) continue;
    const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const startedAt = Date.now();
    db.exec("BEGIN IMMEDIATE");
    try {
      if (isApplied.get(name)) {
        db.exec("ROLLBACK");
        continue;
      }
      db.exec(sql);
      const checksum = createHash("sha256").update(sql).digest("hex");
      record.run(randomUUID(), checksum, Date.now(), name, startedAt);
      db.exec("COMMIT");
      applied.push(name);
    } catch (error) {
      db.exec("ROLLBACK");
      throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
    }
  }
  return applied;
}
