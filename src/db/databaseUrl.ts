import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/ansinh.db";

/** The SQLite file a `file:` DATABASE_URL points at, resolved against the working directory. */
export function sqliteFilePath(databaseUrl: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): string {
  if (!databaseUrl.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a file: URL for SQLite (got a ${databaseUrl.split(":")[0]}: URL)`);
  }
  const rest = databaseUrl.slice("file:".length).split("?")[0];
  return path.resolve(rest);
}
