import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client.ts";
import { DEFAULT_DATABASE_URL, sqliteFilePath } from "./databaseUrl.ts";
import { applyMigrations } from "./migrate.ts";

/**
 * The one way into the disbursement database.
 * - `prisma`: the typed client, for everything that is not on a hot path.
 * - `sql`: a better-sqlite3 connection for the few hot paths (a USSD hop, bulk imports), where
 *   a Prisma round trip costs ~300 µs and a prepared statement ~10 µs (toolchain.md).
 * Both connections use WAL and a busy timeout, so the service, an import and the simulator
 * can work on the same file at once.
 */
export interface AppDatabase {
  prisma: PrismaClient;
  sql: Database.Database;
  url: string;
  /** The SQLite file. */
  file: string;
  /** Migrations this open applied (usually none). */
  migrationsApplied: string[];
  /** Throws when the database does not answer (readiness and health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const BUSY_TIMEOUT_MS = 10_000;
const PAGE_CACHE_KIB = 32 * 1024;

export function openDatabase(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): AppDatabase {
  const file = sqliteFilePath(url);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sql = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  sql.pragma("journal_mode = WAL");
  sql.pragma("synchronous = NORMAL");
  sql.pragma("foreign_keys = ON");
  // SQLite's default page cache is 2 MB: a province's live sessions and payment rows would be read
  // from the file again on most USSD hops. 32 MB holds them (and costs that much memory at most).
  sql.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  const migrationsApplied = applyMigrations(sql);
  // Made on first use: the service's hot paths never need it, and it holds memory of its own.
  let prisma: PrismaClient | null = null;
  return {
    get prisma() {
      prisma ??= new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: BUSY_TIMEOUT_MS }) });
      return prisma;
    },
    sql,
    url,
    file,
    migrationsApplied,
    async ping() {
      sql.prepare("SELECT 1").get();
    },
    async close() {
      await prisma?.$disconnect();
      sql.close();
    },
  };
}

/** Timestamps in the format the Prisma SQLite adapter writes and reads (ISO 8601, +00:00). */
export function sqlTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace("Z", "+00:00");
}
