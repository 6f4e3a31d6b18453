import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";

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
 * How long the instance handling an update holds it. Handling takes seconds (a 429 wait included);
 * an instance that died holding one leaves it to the others' retry loops after this.
 */
export const INBOUND_CLAIM_MS = 2 * 60_000;

const PENDING_COLUMNS = "id, channel, updateKey, payload, attempts, answer";
const RECORD = `INSERT INTO InboundUpdate (channel, updateKey, payload, status, attempts, receivedAt, claimedUntil) VALUES (?, ?, ?, 'pending', 0, ?, ?)
  ON CONFLICT(channel, updateKey) DO NOTHING RETURNING id`;
const ANSWERED = `UPDATE InboundUpdate SET status = 'answered', answer = ? WHERE id = ?`;
const DONE = `UPDATE InboundUpdate SET status = 'done', payload = NULL, answer = NULL, lastError = NULL, processedAt = ?, attempts = attempts + 1,
  claimedUntil = NULL WHERE id = ?`;
// A failed attempt lets go of the update at once: the next retry round, here or elsewhere, takes it.
const FAIL = `UPDATE InboundUpdate SET status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE status END,
  attempts = attempts + 1, lastError = ?, processedAt = ?, claimedUntil = NULL WHERE id = ?`;
const UNCLAIMED = `(claimedUntil IS NULL OR claimedUntil <= @now)`;
const DUE = `SELECT ${PENDING_COLUMNS} FROM InboundUpdate
  WHERE channel = @channel AND status IN ('pending', 'answered') AND receivedAt <= @olderThan AND ${UNCLAIMED} ORDER BY id LIMIT @limit`;
// Taking the update is one conditional UPDATE: of several instances' retry loops, the one whose
// statement changes the row has it (PostgreSQL re-checks the condition on the row it locked, SQLite
// has one writer). It returns the row as it is now: another instance may have answered it meanwhile.
const CLAIM = `UPDATE InboundUpdate SET claimedUntil = @until
  WHERE id = @id AND status IN ('pending', 'answered') AND ${UNCLAIMED} RETURNING ${PENDING_COLUMNS}`;

/**
 * The durable record of updates from chat platforms. An update is recorded before it is handled
 * (so a platform's resend of it is recognised by its key and refused); once the conversation has
 * answered it, the answer is stored (`answered`), so a failed send is retried by sending that
 * answer again, never by running the step twice; when sent it is `done` and its payload and answer
 * are erased (they may hold an ID number someone typed). The instance handling an update holds it
 * (`claimedUntil`), so with several instances on one database an update is handled by one of them.
 */
export class InboundLog {
  constructor(private readonly sql: Sql) {}

  /** Records an update, held by this instance while it handles it; null when the same update was recorded before (a resend). */
  async record(channel: string, updateKey: string, payload: unknown, now: Date): Promise<number | null> {
    const row = await this.sql.get<{ id: number }>(RECORD, [channel, updateKey, JSON.stringify(payload), sqlTimestamp(now), claimEnd(now)]);
    return row?.id ?? null;
  }

  /** The conversation has answered: keep the answer until it is sent. */
  async markAnswered(id: number, answer: unknown): Promise<void> {
    await this.sql.run(ANSWERED, [JSON.stringify(answer), id]);
  }

  async markDone(id: number, now: Date): Promise<void> {
    await this.sql.run(DONE, [sqlTimestamp(now), id]);
  }

  /** Counts a failed attempt; after `maxAttempts` the update stays `failed` for an operator to see. */
  async markFailed(id: number, error: string, maxAttempts: number, now: Date): Promise<void> {
    await this.sql.run(FAIL, [maxAttempts, error.slice(0, 500), sqlTimestamp(now), id]);
  }

  /** Updates not yet sent that arrived before `olderThan` and that no instance holds: left behind by a failure or a crash. */
  pending(channel: string, olderThan: Date, limit: number, now: Date): Promise<PendingUpdate[]> {
    return this.sql.all<PendingUpdate>(DUE, { channel, olderThan: sqlTimestamp(olderThan), limit, now: sqlTimestamp(now) });
  }

  /** Takes a pending update for this instance to handle: the update as it is now, or undefined when another instance has it (or it is done). */
  claim(id: number, now: Date): Promise<PendingUpdate | undefined> {
    return this.sql.get<PendingUpdate>(CLAIM, { id, until: claimEnd(now), now: sqlTimestamp(now) });
  }
}

const claimEnd = (now: Date) => sqlTimestamp(new Date(now.getTime() + INBOUND_CLAIM_MS));
