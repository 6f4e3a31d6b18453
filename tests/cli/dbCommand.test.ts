import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { migrationNames } from "../../src/db/migrationNames.ts";
import { POSTGRES_MIGRATIONS_DIR } from "../../src/db/postgres/migratePostgres.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";
import { describeNeeding } from "../helpers/externalServices.ts";
import { tempPostgresDatabase } from "../helpers/tempPostgres.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-db-"));
// Made when the first test needs it, so nothing is asked of PostgreSQL where the suite is skipped.
let postgresDatabase: ReturnType<typeof tempPostgresDatabase> | null = null;
const postgres = () => (postgresDatabase ??= tempPostgresDatabase());
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (postgresDatabase) await (await postgresDatabase).drop();
});

const ansinh = (args: string[], databaseUrl: string) => runAnsinh(args, { cwd: dir, env: { DATABASE_URL: databaseUrl } });
const sqliteUrl = (name: string) => `file:${path.join(dir, name)}`;

describe("ansinh db migrate", () => {
  it("applies the SQLite migrations to a new file, then has nothing to apply", async () => {
    const first = await ansinh(["db", "migrate"], sqliteUrl("migrate.db"));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migrations: 20261129000000_init, /);
    expect((await ansinh(["db", "migrate"], sqliteUrl("migrate.db"))).stdout).toContain("nothing to apply");
  });

});

describeNeeding(["postgres"], "ansinh db migrate on PostgreSQL", () => {
  it("applies the PostgreSQL migrations to a PostgreSQL database", async () => {
    const { url } = await postgres();
    const first = await ansinh(["db", "migrate"], url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`applied ${migrationNames(POSTGRES_MIGRATIONS_DIR).length} migrations: 00000000000000_baseline`);
    expect((await ansinh(["db", "migrate"], url)).stdout).toContain("nothing to apply");
  });
});

describe("ansinh db backup", () => {
  it("copies the database, whole and consistent, and never overwrites a file", async () => {
    const url = sqliteUrl("live.db");
    expect((await ansinh(["demo", "load"], url)).code).toBe(0);
    const target = path.join(dir, "backup.db");
    const result = await ansinh(["db", "backup", target], url);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`to ${target}`);

    const [live, copy] = [await openDatabase(url), await openDatabase(`file:${target}`)];
    try {
      for (const table of ["Beneficiary", "Payment", "ConsoleUser", "_prisma_migrations"]) {
        const count = (db: typeof live) => (db.sqlite!.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
        expect(count(copy), table).toBe(count(live));
        expect(count(copy), table).toBeGreaterThan(0);
      }
      expect(copy.sqlite!.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      await live.close();
      await copy.close();
    }

    const again = await ansinh(["db", "backup", target], url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("exists already");
  });

  it("points to pg_dump for PostgreSQL", async () => {
    const result = await ansinh(["db", "backup", path.join(dir, "pg.db")], "postgresql://postgres@127.0.0.1:5432/postgres");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("pg_dump");
  });
});
