import type Database from "better-sqlite3";

interface QueuedWrites {
  writes: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the writes of requests that arrive together are committed in one SQLite
 * transaction, at the end of the event-loop turn that queued them. A commit costs far more than
 * the statements in it (every page it touched is written to the write-ahead log), so fifty hops
 * sharing one commit cost much less than fifty commits. A caller whose writes throw fails alone:
 * the batch is then written again caller by caller, and the others land. A caller's promise
 * settles only after the commit, so nothing is answered before it is stored.
 */
export class GroupCommit {
  private queued: QueuedWrites[] = [];
  private flushScheduled = false;

  constructor(
    private readonly sql: Database.Database,
    /** Commit at once when this many are waiting, rather than let one transaction grow without end. */
    private readonly maxBatch = 128,
  ) {}

  run(writes: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ writes, resolve, reject });
      if (this.queued.length >= this.maxBatch) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    try {
      // The usual case: every caller's writes succeed, and all of them cost one commit.
      this.sql
        .transaction(() => {
          for (const item of batch) item.writes();
        })
        .immediate();
    } catch {
      // Something failed and the whole batch was undone: write each caller's part on its own,
      // so only the one that fails is refused and the others land.
      for (const item of batch) {
        try {
          this.sql.transaction(item.writes).immediate();
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
