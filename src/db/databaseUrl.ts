import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/ansinh.db";

/** True for a DATABASE_URL that names a PostgreSQL server. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/**
 * What a person reads when DATABASE_URL selects PostgreSQL: the schema and its migrations exist,
 * the service's stores (synchronous better-sqlite3 statements) do not yet. Said plainly at start,
 * instead of a driver failing somewhere later.
 */
export const POSTGRES_NOT_YET =
  "DATABASE_URL selects PostgreSQL, which the service cannot run on yet: the PostgreSQL schema and its migrations are ready " +
  "(`npx ansinh db migrate` applies them), but the service's data access is still SQLite only. " +
  "Use a file: URL (the default is file:./data/ansinh.db); see README, Deployment.";

/** The SQLite file a `file:` DATABASE_URL points at, resolved against the working directory. */
export function sqliteFilePath(databaseUrl: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): string {
  if (isPostgresUrl(databaseUrl)) throw new Error(POSTGRES_NOT_YET);
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a file: URL for SQLite (got a ${databaseUrl.split(":")[0]}: URL)`);
  }
  const rest = databaseUrl.slice("file:".length).split("?")[0];
  return path.resolve(rest);
}
