import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { migrationNames } from "../../src/db/migrationNames.ts";
import { applyPostgresMigrations, POSTGRES_MIGRATIONS_DIR } from "../../src/db/postgres/migratePostgres.ts";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";
import { describeNeeding } from "../helpers/externalServices.ts";
import { tempPostgresDatabase, withPostgres } from "../helpers/tempPostgres.ts";

// Every test works on its own new database on the local PostgreSQL, dropped at the end.
const databases: Awaited<ReturnType<typeof tempPostgresDatabase>>[] = [];
async function freshDatabase(): Promise<string> {
  const database = await tempPostgresDatabase();
  databases.push(database);
  return database.url;
}
afterAll(async () => {
  for (const database of databases) await database.drop();
});

const ALL = migrationNames(POSTGRES_MIGRATIONS_DIR);

const recorded = (url: string) =>
  withPostgres(url, async (client) => (await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`)).rows);

/** The scalar fields of every model in prisma/schema.prisma, as PostgreSQL columns should show them. */
function modelColumns(): Map<string, Map<string, { type: string; nullable: boolean }>> {
  const types: Record<string, string> = {
    String: "text",
    Int: "integer",
    Float: "double precision",
    Boolean: "boolean",
    DateTime: "timestamp without time zone",
  };
  const schema = fs.readFileSync(path.join(PROJECT_ROOT, "prisma/schema.prisma"), "utf8");
  const models = new Map<string, Map<string, { type: string; nullable: boolean }>>();
  for (const [, model, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const columns = new Map<string, { type: string; nullable: boolean }>();
    for (const line of body.split("\n")) {
      const field = /^\s*(\w+)\s+(\w+)(\?|\[\])?/.exec(line);
      if (!field || line.trim().startsWith("//") || field[3] === "[]" || !(field[2] in types)) continue; // relations and lists are not columns
      columns.set(field[1], { type: types[field[2]], nullable: field[3] === "?" });
    }
    models.set(model, columns);
  }
  return models;
}

describeNeeding(["postgres"], "applyPostgresMigrations", () => {
  it("applies every migration to a new database once, recorded as Prisma records them; a second run applies nothing", async () => {
    const url = await freshDatabase();
    expect(ALL.length).toBeGreaterThan(0);
    expect(await applyPostgresMigrations(url)).toEqual(ALL);
    const rows = await recorded(url);
    expect(rows.map((r) => r.migration_name)).toEqual(ALL);
    for (const row of rows) {
      const sql = fs.readFileSync(path.join(POSTGRES_MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await applyPostgresMigrations(url)).toEqual([]);
    expect(await recorded(url)).toHaveLength(ALL.length);
  });

  it("builds the tables and columns of the Prisma models, with their keys", async () => {
    const url = await freshDatabase();
    await applyPostgresMigrations(url);
    const { columns, indexes, foreignKeys } = await withPostgres(url, async (client) => ({
      columns: (
        await client.query(
          `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
        )
      ).rows,
      indexes: (await client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`)).rows.map((r) => r.indexname),
      foreignKeys: (await client.query(`SELECT conname FROM pg_constraint WHERE contype = 'f'`)).rows.map((r) => r.conname),
    }));
    const actual = new Map<string, Map<string, { type: string; nullable: boolean }>>();
    for (const c of columns) {
      if (!actual.has(c.table_name)) actual.set(c.table_name, new Map());
      actual.get(c.table_name)!.set(c.column_name, { type: c.data_type, nullable: c.is_nullable === "YES" });
    }
    const expected = modelColumns();
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [model, fields] of expected) expect(Object.fromEntries(actual.get(model)!), model).toEqual(Object.fromEntries(fields));
    expect(indexes).toEqual(expect.arrayContaining(["OutboxMessage_dedupeKey_key", "InboundUpdate_channel_updateKey_key", "ConsoleUserCommune_pkey", "Payment_beneficiaryId_periodId_key"]));
    expect(foreignKeys).toEqual(expect.arrayContaining(["Beneficiary_communeId_fkey", "ConsoleSession_userId_fkey"]));
  });

  it("applies each migration exactly once when three instances start at the same moment", async () => {
    const url = await freshDatabase();
    const runs = await Promise.all([applyPostgresMigrations(url), applyPostgresMigrations(url), applyPostgresMigrations(url)]);
    expect(runs.flat().sort()).toEqual(ALL);
    expect(runs.filter((r) => r.length > 0)).toHaveLength(1);
    expect((await recorded(url)).map((r) => r.migration_name)).toEqual(ALL);
  });

  it("leaves nothing of a failing migration behind, and names it", async () => {
    const url = await freshDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-pg-migrations-"));
    try {
      const write = (name: string, sql: string) => {
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
      };
      write("1_good", `CREATE TABLE "Good" ("id" SERIAL PRIMARY KEY);`);
      write("2_bad", `CREATE TABLE "Half" ("id" SERIAL PRIMARY KEY);\nINSERT INTO "Missing" VALUES (1);`);
      await expect(applyPostgresMigrations(url, dir)).rejects.toThrow(/2_bad failed.*"Missing"/);
      const tables = await withPostgres(url, async (client) =>
        (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).rows.map((r) => r.table_name),
      );
      expect(tables).toEqual(["Good", "_prisma_migrations"]);
      expect((await recorded(url)).map((r) => r.migration_name)).toEqual(["1_good"]);

      fs.writeFileSync(path.join(dir, "2_bad", "migration.sql"), `CREATE TABLE "Half" ("id" SERIAL PRIMARY KEY);`);
      expect(await applyPostgresMigrations(url, dir)).toEqual(["2_bad"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
