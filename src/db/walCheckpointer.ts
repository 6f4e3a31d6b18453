import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { log } from "../shared/log.ts";
import type { AppDatabase } from "./database.ts";

/**
 * Copies the write-ahead log back into the database file on a worker thread, with its own
 * connection, so no request waits for it. Left to SQLite, the copy happens inside whichever
 * commit crosses the threshold (a 5 ms stall, measured); on a timer on the main thread, the
 * copy of a busy second blocks every request behind it. Writers go on appending to the log
 * while the worker copies (WAL mode allows it).
 */
export function startWalCheckpointer(db: AppDatabase, intervalMs = 250): { stop(): Promise<void> } {
  // PostgreSQL checkpoints on its own.
  if (!db.sqlite || !db.file) return { async stop() {} };
  db.sqlite.pragma("wal_autocheckpoint = 0");
  // Plain JavaScript: the worker does not go through the TypeScript loader.
  const worker = new Worker(
    `
    const { workerData, parentPort } = require("node:worker_threads");
    const Database = require(workerData.driver);
    const sql = new Database(workerData.file, { timeout: 5000 });
    const timer = setInterval(() => {
      try { sql.pragma("wal_checkpoint(PASSIVE)"); } catch (error) { parentPort.postMessage(String(error && error.message)); }
    }, workerData.intervalMs);
    parentPort.on("message", () => { clearInterval(timer); sql.close(); process.exit(0); });
    `,
    { eval: true, workerData: { file: db.file, intervalMs, driver: createRequire(import.meta.url).resolve("better-sqlite3") } },
  );
  worker.on("message", (message) => log.warn("WAL checkpoint failed; the next one will try again", { reason: String(message) }));
  worker.on("error", (error) => log.error("WAL checkpointer stopped", { error }));
  worker.unref();
  return {
    async stop() {
      if (worker.threadId === -1) return; // already gone
      worker.ref(); // keep the process alive until the worker has closed its connection
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage("stop");
      await exited;
    },
  };
}
