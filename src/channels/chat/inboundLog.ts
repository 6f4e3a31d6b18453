import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";

export interface PendingUpdate {
  id: number;
  channel: string;
  updateKey: string;
  payload: string;
  attempts: number;
  /** The answer already produced for it (JSON), when only sending it failed. */
  answer: string | null;
}

/**
 * The durable record of updates from chat platforms. An update is recorded before it is handled
 * (so a platform's resend of it is recognised by its key and refused); once the conversation has
 * answered it, the answer is stored (`answered`), so a failed send is retried by sending that
 * answer again, never by running the step twice; when sent it is `done` and its payload and answer
 * are erased (they may hold an ID number someone typed).
 */
export class InboundLog {
  private readonly insert;
  private readonly answered;
  private readonly done;
  private readonly fail;
  private readonly due;

  constructor(sql: Database.Database) {
    this.insert = sql.prepare(
      `INSERT INTO InboundUpdate (channel, updateKey, payload, status, attempts, receivedAt) VALUES (?, ?, ?, 'pending', 0, ?)
       ON CONFLICT(channel, updateKey) DO NOTHING`,
    );
    this.answered = sql.prepare(`UPDATE InboundUpdate SET status = 'answered', answer = ? WHERE id = ?`);
    this.done = sql.prepare(
      `UPDATE InboundUpdate SET status = 'done', payload = NULL, answer = NULL, lastError = NULL, processedAt = ?, attempts = attempts + 1 WHERE id = ?`,
    );
    this.fail = sql.prepare(
      `UPDATE InboundUpdate SET status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE status END,
       attempts = attempts + 1, lastError = ?, processedAt = ? WHERE id = ?`,
    );
    this.due = sql.prepare<[string, string, number], PendingUpdate>(
      `SELECT id, channel, updateKey, payload, attempts, answer FROM InboundUpdate
       WHERE channel = ? AND status IN ('pending', 'answered') AND receivedAt <= ? ORDER BY id LIMIT ?`,
    );
  }

  /** Records an update; null when the same update was recorded before (a resend). */
  record(channel: string, updateKey: string, payload: unknown, now: Date): number | null {
    const result = this.insert.run(channel, updateKey, JSON.stringify(payload), sqlTimestamp(now));
    return result.changes === 1 ? Number(result.lastInsertRowid) : null;
  }

  /** The conversation has answered: keep the answer until it is sent. */
  markAnswered(id: number, answer: unknown): void {
    this.answered.run(JSON.stringify(answer), id);
  }

  markDone(id: number, now: Date): void {
    this.done.run(sqlTimestamp(now), id);
  }

  /** Counts a failed attempt; after `maxAttempts` the update stays `failed` for an operator to see. */
  markFailed(id: number, error: string, maxAttempts: number, now: Date): void {
    this.fail.run(maxAttempts, error.slice(0, 500), sqlTimestamp(now), id);
  }

  /** Updates not yet sent that arrived before `olderThan`: left behind by a failure or a crash. */
  pending(channel: string, olderThan: Date, limit: number): PendingUpdate[] {
    return this.due.all(channel, sqlTimestamp(olderThan), limit);
  }
}
