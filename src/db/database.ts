import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { isPostgresUrl, sqliteFilePath } from "./databaseUrl.ts";
import { applyMigrations } from "./migrate.ts";
import { applyPostgresMigrations } from "./postgres/migratePostgres.ts";
import { postgresPool, PostgresSql } from "./sql/postgresSql.ts";
import { typedQuery, type TypedQuery } from "./query/typedQuery.ts";
import type { Dialect, Sql } from "./sql/sql.ts";
import { SqliteSql } from "./sql/sqliteSql.ts";
import { createPostgresFold, registerSqliteFold } from "./foldFunction.ts";
import { setting } from "../config/readSettings.ts";

/**
 * The one way into the disbursement database: the embedded SQLite file (a `file:` URL, the
 * default) or PostgreSQL (a `postgresql://` URL), chosen by DATABASE_URL.
 * - `sql`: the stores' statements, the same on both (src/db/sql/sql.ts).
 * - `query`: the same connection through Kysely, typed by the tables generated from
 *   prisma/schema.prisma (src/db/query/typedQuery.ts).
 * Opening applies the pending migrations, so every instance and every command finds the schema it expects.
 */
export interface AppDatabase {
  dialect: Dialect;
  sql: Sql;
  query: TypedQuery;
  url: string;
  /** The SQLite connection, for what only SQLite has (online backup, WAL checkpoints); null on PostgreSQL. */
  sqlite: Database.Database | null;
  /** The SQLite file; null on PostgreSQL. */
  file: string | null;
  /** Migrations this open applied (usually none). */
  migrationsApplied: string[];
  /** Throws when the database does not answer (readiness and health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const PAGE_CACHE_KIB = 32 * 1024;

/**
 * DATABASE_BUSY_TIMEOUT_MS: how long a write waits for a lock another writer holds before it fails
 * as DatabaseUnavailable ("locked"): SQLite's busy timeout (another command writing the same file),
 * PostgreSQL's lock_timeout (a row or table another transaction holds). DATABASE_POOL_SIZE: PostgreSQL only.
 */
export interface DatabaseOptions {
  databaseBusyTimeoutMs: number;
  databasePoolSize: number;
}

/** Opens `url` (by default DATABASE_URL) with the configuration's settings (by default the environment's: a Config will do). */
export async function openDatabase(
  url: string = setting("DATABASE_URL"),
  options: DatabaseOptions = { databaseBusyTimeoutMs: setting("DATABASE_BUSY_TIMEOUT_MS"), databasePoolSize: setting("DATABASE_POOL_SIZE") },
): Promise<AppDatabase> {
  return isPostgresUrl(url) ? openPostgres(url, options) : openSqlite(url, options);
}

function openSqlite(url: string, options: DatabaseOptions): AppDatabase {
  const file = sqliteFilePath(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const timeout = options.databaseBusyTimeoutMs;
  const connection = new Database(file, { timeout });
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  // SQLite's default page cache is 2 MB: a province's live sessions and payment rows would be read
  // from the file again on most USSD hops. 32 MB holds them (and costs that much memory at most).
  connection.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const migrationsApplied = applyMigrations(connection);
  registerSqliteFold(connection);
  return assemble({
    dialect: "sqlite",
    sql: new SqliteSql(connection),
    sqlite: connection,
    url,
    file,
    migrationsApplied,
  });
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<AppDatabase> {
  const migrationsApplied = await applyPostgresMigrations(url);
  const pool = postgresPool(url, { poolSize: options.databasePoolSize, busyTimeoutMs: options.databaseBusyTimeoutMs });
  const sql = new PostgresSql(pool);
  await createPostgresFold(sql);
  return assemble({
    dialect: "postgres",
    sql,
    sqlite: null,
    url,
    file: null,
    migrationsApplied,
  });
}

/** The parts both databases share: the typed builder on `sql`, ping and close. */
function assemble(parts: Omit<AppDatabase, "query" | "ping" | "close">): AppDatabase {
  return {
    ...parts,
    query: typedQuery(parts.sql),
    async ping() {
      await parts.sql.get("SELECT 1");
    },
    async close() {
      await parts.sql.close();
    },
  };
}
