import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import {
  BASELINE,
  generatePostgresSchema,
  POSTGRES_DIR,
  postgresSchemaDrift,
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA,
} from "../../scripts/generate-postgres-schema.ts";
import { describeNeeding } from "../helpers/externalServices.ts";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-pg-schema-test-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

// prisma migrate diff for PostgreSQL asks a PostgreSQL server, even between two schema files.
describeNeeding(["postgres"], "the PostgreSQL schema generated from prisma/schema.prisma", () => {
  it("is up to date in prisma/postgresql (else: npm run db:generate-postgres)", async () => {
    expect(await postgresSchemaDrift()).toEqual([]);
    const schema = fs.readFileSync(path.join(POSTGRES_DIR, "schema.prisma"), "utf8");
    expect(schema).toMatch(/^\/\/ GENERATED .*do not edit/);
    expect(schema).toContain('provider = "postgresql"');
    // Same models as the SQLite schema.
    const models = (text: string) => [...text.matchAll(/^model (\w+)/gm)].map((m) => m[1]);
    expect(models(schema)).toEqual(models(fs.readFileSync(SQLITE_SCHEMA, "utf8")));
  });

  it("gives a new SQLite migration its PostgreSQL twin, the difference from the previous schema; refuses a schema change without one", async () => {
    // A copy of the sources with one more column, as a developer would change them.
    const sources = { schemaFile: path.join(scratch, "schema.prisma"), migrationsDir: path.join(scratch, "migrations") };
    fs.cpSync(SQLITE_MIGRATIONS, sources.migrationsDir, { recursive: true });
    fs.writeFileSync(sources.schemaFile, fs.readFileSync(SQLITE_SCHEMA, "utf8").replace(/(model Commune \{\n)/, "$1  website String?\n"));
    const out = path.join(scratch, "postgresql");
    fs.cpSync(POSTGRES_DIR, out, { recursive: true });

    await expect(generatePostgresSchema(out, sources)).rejects.toThrow(/no new migration: write the SQLite migration first/);

    const name = "29991231000000_commune_website";
    fs.mkdirSync(path.join(sources.migrationsDir, name));
    fs.writeFileSync(path.join(sources.migrationsDir, name, "migration.sql"), `ALTER TABLE "Commune" ADD COLUMN "website" TEXT;\n`);
    // The committed files are now stale: the check names what must be generated.
    expect(await postgresSchemaDrift(POSTGRES_DIR, sources)).toEqual([`migrations/${name}/migration.sql`, "schema.prisma"]);

    expect(await generatePostgresSchema(out, sources)).toEqual({ migration: name });
    const sql = fs.readFileSync(path.join(out, "migrations", name, "migration.sql"), "utf8");
    expect(sql).toMatch(/ALTER TABLE "Commune" ADD COLUMN\s+"website" TEXT;/);
    expect(sql).not.toContain("CREATE TABLE");
    expect(fs.readFileSync(path.join(out, "schema.prisma"), "utf8")).toContain(`// Up to date with prisma/migrations/${name}`);
    // The baseline is never rewritten, and a second run has nothing to add.
    expect(fs.readFileSync(path.join(out, "migrations", BASELINE, "migration.sql"), "utf8")).toBe(
      fs.readFileSync(path.join(POSTGRES_DIR, "migrations", BASELINE, "migration.sql"), "utf8"),
    );
    expect(await postgresSchemaDrift(out, sources)).toEqual([]);
  }, 180_000);
});
