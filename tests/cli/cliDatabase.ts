import path from "node:path";
import { TEST_DIALECT } from "../helpers/tempDatabase.ts";
import { tempPostgresDatabase } from "../helpers/tempPostgres.ts";

export interface CliDatabase {
  /** DATABASE_URL for the commands: a SQLite file that does not exist yet, or an empty PostgreSQL database. */
  url: string;
  /** The commands' environment. ANSINH_SECRET, which PostgreSQL requires, comes from the test's own (vitest.config.ts). */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * A new, empty database for `ansinh` commands run as processes, of the suite's kind
 * (TEST_DATABASE=postgres). Empty, not migrated: the commands apply the migrations at open.
 */
export async function cliDatabase(dir: string, name: string): Promise<CliDatabase> {
  if (TEST_DIALECT === "postgres") {
    const database = await tempPostgresDatabase();
    return { url: database.url, env: { DATABASE_URL: database.url }, cleanup: database.drop };
  }
  const url = `file:${path.join(dir, name, `${name}.db`)}`;
  return { url, env: { DATABASE_URL: url }, cleanup: async () => {} };
}
