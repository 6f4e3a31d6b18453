import fs from "node:fs";
import path from "node:path";

/**
 * The migration folders in `dir` (those holding a migration.sql), in the order they apply: by
 * name, which Prisma starts with a timestamp. One listing for SQLite, PostgreSQL and the script
 * that generates the PostgreSQL migrations, so they can never disagree on the order.
 */
export function migrationNames(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
}
