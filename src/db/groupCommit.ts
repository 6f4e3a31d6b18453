import type { Sql } from "./sql/sql.ts";

interface QueuedWrites {
  writes: () => Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: on SQLite, the writes of requests that arrive together are committed in one
 * transaction, at the end of the event-loop turn that queued them. A commit costs far more than
 * the statements in it (every page it touched is written to the write-ahead log), so fifty hops
 * sharing one commit cost much less than fifty commits. A caller whose writes throw fails alone:
 * the batch is then written again caller by caller, and the others land. A caller's promise
 * settles only after the commit, so nothing is answered before it is stored.
 *
 * On PostgreSQL, where connections write side by side and one transaction may wait on a row
 * another holds, each caller's writes are a transaction of their own; called inside a
 * transaction already (a hop that holds its person's lock), they simply join it.
 */
export class GroupCommit {
  private queued: QueuedWrites[] = [];
  private flushScheduled = false;

  constructor(
    private readonly sql: Sql,
    /** Commit at once when this many are waiting, rather than let one transaction grow without end. */
    private readonly maxBatch = 128,
  ) {}

  run(writes: () => Promise<void>): Promise<void> {
    if (this.sql.dialect !== "sqlite" || this.sql.inTransaction()) return this.sql.transaction(writes);
    return new Promise((resolve, reject) => {
      this.queued.push({ writes, resolve, reject });
      if (this.queued.length >= this.maxBatch) void this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    try {
      // The usual case: every caller's writes succeed, and all of them cost one commit.
      await this.sql.transaction(async () => {
        for (const item of batch) await item.writes();
      });
    } catch {
      // Something failed and the whole batch was undone: write each caller's part on its own,
      // so only the one that fails is refused and the others land.
      for (const item of batch) {
        try {
          await this.sql.transaction(item.writes);
          item.resolve();
        } catch (error) {
          item.reject(error);
        }
      }
      return;
    }
    for (const item of batch) item.resolve();
  }
}
