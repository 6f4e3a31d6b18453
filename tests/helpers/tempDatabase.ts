import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type AppDatabase } from "../../src/db/database.ts";
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR } from "../../src/db/postgres/migratePostgres.ts";
import { POSTGRES_ADMIN_URL, tempPostgresDatabase, withPostgres } from "./tempPostgres.ts";

/**
 * The database the suite runs on: SQLite files by default; PostgreSQL when TEST_DATABASE=postgres
 * (CI runs the suite both ways). On PostgreSQL each temporary database is a copy of a migrated
 * template, made once per set of migrations, so a test pays for a copy, not for the migrations.
 */
export const TEST_DIALECT: "sqlite" | "postgres" = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

export interface TempDatabase {
  db: AppDatabase;
  url: string;
  /** A temporary folder the test may use for its files (removed by cleanup). */
  dir: string;
  cleanup: () => Promise<void>;
}

/** A fresh, migrated database of the suite's kind, open; `cleanup` closes and removes it. */
export async function tempDatabase(): Promise<TempDatabase> {
  return TEST_DIALECT === "postgres" ? tempPostgresCopy() : tempSqliteDatabase();
}

/** A fresh SQLite file in a temporary folder, whatever the suite runs on (for what only SQLite has). */
export async function tempSqliteDatabase(): Promise<TempDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  const db = await openDatabase(url);
  return {
    db,
    url,
    dir,
    async cleanup() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function tempPostgresCopy(): Promise<TempDatabase> {
  const template = await migratedTemplate();
  const target = await tempPostgresDatabase(template);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-test-"));
  const db = await openDatabase(target.url);
  return {
    db,
    url: target.url,
    dir,
    async cleanup() {
      await db.close();
      await target.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let template: Promise<string> | null = null;

/** `ansinh_template_<hash of the migrations>`, made by whichever test process comes first. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const hash = createHash("sha256");
    for (const name of fs.readdirSync(POSTGRES_MIGRATIONS_DIR).sort()) {
      const file = path.join(POSTGRES_MIGRATIONS_DIR, name, "migration.sql");
      if (fs.existsSync(file)) hash.update(name).update(fs.readFileSync(file));
    }
    const name = `ansinh_template_${hash.digest("hex").slice(0, 12)}`;
    await withPostgres(POSTGRES_ADMIN_URL, async (client) => {
      // Test processes start together: one makes the template, the others wait for it.
      await client.query("SELECT pg_advisory_lock(7264)");
      try {
        const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (exists.rowCount === 0) {
          await client.query(`CREATE DATABASE "${name}_making"`);
          const url = new URL(POSTGRES_ADMIN_URL);
          url.pathname = `/${name}_making`;
          await applyPostgresMigrations(url.toString());
          await client.query(`ALTER DATABASE "${name}_making" RENAME TO "${name}"`);
        }
      } finally {
        await client.query("SELECT pg_advisory_unlock(7264)");
      }
    });
    return name;
  })();
  return template;
}
