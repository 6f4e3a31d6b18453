import path from "node:path";

/** True for a DATABASE_URL that names a PostgreSQL server. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/** The SQLite file a `file:` DATABASE_URL points at, resolved against the working directory. */
export function sqliteFilePath(databaseUrl: string): string {
  if (isPostgresUrl(databaseUrl)) throw new Error("DATABASE_URL selects PostgreSQL: there is no SQLite file");
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a file: URL for SQLite (got a ${databaseUrl.split(":")[0]}: URL)`);
  }
  const rest = databaseUrl.slice("file:".length).split("?")[0];
  return path.resolve(rest);
}
