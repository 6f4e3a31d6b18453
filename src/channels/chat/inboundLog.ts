import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";

export interface PendingUpdate {
  id: number;
  channel: string;
  updateKey: string;
  payload: string;
  attempts: number;
}

/**
 * The durable record of updates from chat platforms. An update is recorded before it is handled
 * (so a platform's resend of it is recognised by its key and refused), marked done when the
 * answer has been sent (and its payload erased: it may hold an ID number someone typed), and
 * left pending or failed otherwise, for the retry loop.
 */
export class InboundLog {
  private readonly insert;
  private readonly done;
  private readonly fail;
  private readonly due;

  constructor(sql: Database.Database) {
    this.insert = sql.prepare(
      `INSERT INTO InboundUpdate (channel, updateKey, payload, status, attempts, receivedAt) VALUES (?, ?, ?, 'pending', 0, ?)
       ON CONFLICT(channel, updateKey) DO NOTHING`,
    );
    this.done = sql.prepare(`UPDATE InboundUpdate SET status = 'done', payload = NULL, lastError = NULL, processedAt = ?, attempts = attempts + 1 WHERE id = ?`);
    this.fail = sql.prepare(
      `UPDATE InboundUpdate SET status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END,
       attempts = attempts + 1, lastError = ?, processedAt = ? WHERE id = ?`,
    );
    this.due = sql.prepare<[string, string, number], PendingUpdate>(
      `SELECT id, channel, updateKey, payload, attempts FROM InboundUpdate
       WHERE channel = ? AND status = 'pending' AND receivedAt <= ? ORDER BY id LIMIT ?`,
    );
  }

  /** Records an update; null when the same update was recorded before (a resend). */
  record(channel: string, updateKey: string, payload: unknown, now: Date): number | null {
    const result = this.insert.run(channel, updateKey, JSON.stringify(payload), sqlTimestamp(now));
    return result.changes === 1 ? Number(result.lastInsertRowid) : null;
  }

  markDone(id: number, now: Date): void {
    this.done.run(sqlTimestamp(now), id);
  }

  /** Counts a failed attempt; after `maxAttempts` the update stays `failed` for an operator to see. */
  markFailed(id: number, error: string, maxAttempts: number, now: Date): void {
    this.fail.run(maxAttempts, error.slice(0, 500), sqlTimestamp(now), id);
  }

  /** Updates still pending that arrived before `olderThan`: left behind by a failure or a crash. */
  pending(channel: string, olderThan: Date, limit: number): PendingUpdate[] {
    return this.due.all(channel, sqlTimestamp(olderThan), limit);
  }
}
