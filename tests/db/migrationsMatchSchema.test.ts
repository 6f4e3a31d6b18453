import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { tempSqliteDatabase } from "../helpers/tempDatabase.ts";

/** Every table's columns and indexes, in a form two databases can be compared by. */
function shape(sql: Database.Database) {
  const tables = (sql.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  return Object.fromEntries(
    tables.map((table) => [
      table,
      {
        columns: (sql.pragma(`table_info("${table}")`) as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[])
          .map((c) => `${c.name} ${c.type} ${c.notnull ? "NOT NULL" : ""} ${c.dflt_value ?? ""} ${c.pk ? "PK" : ""}`.trim())
          .sort(),
        indexes: (sql.pragma(`index_list("${table}")`) as { name: string; unique: number; origin: string }[])
          .filter((i) => i.origin === "c")
          .map((i) => `${i.name} ${i.unique ? "UNIQUE " : ""}(${(sql.pragma(`index_info("${i.name}")`) as { name: string }[]).map((c) => c.name).join(", ")})`)
          .sort(),
      },
    ]),
  );
}

describe("the migrations", () => {
  it("build exactly the schema prisma/schema.prisma describes (a model changed without a migration fails here)", async () => {
    const migrated = await tempSqliteDatabase();
    try {
      // prisma.config.ts opens DATABASE_URL (default ./data/ansinh.db, whose folder a fresh clone lacks): give it the test's.
      const fromSchema = execFileSync("npx", ["prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        env: { ...process.env, DATABASE_URL: migrated.url },
      });
      const direct = new Database(":memory:");
      direct.exec(fromSchema);
      expect(shape(migrated.db.sqlite!)).toEqual(shape(direct));
      direct.close();
    } finally {
      void migrated.cleanup();
    }
  });
});
