import { loadConfig } from "../config.ts";
import { openDatabase, type AppDatabase } from "../db/database.ts";

/** Opens DATABASE_URL (applying pending migrations), runs a command's work, and closes it. */
export async function withDatabase(run: (db: AppDatabase) => Promise<void> | void): Promise<void> {
  const db = await openDatabase(loadConfig().databaseUrl);
  try {
    await run(db);
  } finally {
    await db.close();
  }
}

/** Columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}
