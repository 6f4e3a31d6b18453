import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type AppDatabase } from "../../src/db/database.ts";

/** A fresh SQLite file in a temporary folder, migrated; removed by `cleanup`. */
export function tempDatabase(): { db: AppDatabase; url: string; dir: string; cleanup: () => Promise<void> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-test-"));
  const url = `file:${path.join(dir, "test.db")}`;
  const db = openDatabase(url);
  return {
    db,
    url,
    dir,
    async cleanup() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
