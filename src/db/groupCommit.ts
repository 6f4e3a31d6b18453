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
 * sharing one commit cost much less than fifty commits. Each caller's writes still run in their
 * own savepoint: one that throws is undone and fails alone; the others land. A caller's promise
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
    const failures = new Map<QueuedWrites, unknown>();
    try {
      this.sql
        .transaction(() => {
          for (const item of batch) {
            try {
              // Nested inside the outer transaction, better-sqlite3 runs this as a SAVEPOINT.
              this.sql.transaction(item.writes)();
            } catch (error) {
              failures.set(item, error);
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) {
      if (failures.has(item)) item.reject(failures.get(item));
      else item.resolve();
    }
  }
}
