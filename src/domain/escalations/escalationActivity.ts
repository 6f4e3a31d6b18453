import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";

/**
 * Escalation.lastActivityAt is the cursor `changesSince` polls on, so it must only grow, in the
 * order changes commit: a poller that has read up to (t, id) would never see a change committed
 * later with an earlier time. Two instances (or an instance whose clock lags) could otherwise
 * write times out of order. So every activity takes one lock first, held to the end of its
 * transaction (SQLite: the write lock every transaction takes; PostgreSQL: a transaction advisory
 * lock), and is stamped at least 1 ms after the latest activity stored.
 */
const ACTIVITY_LOCK = `SELECT pg_advisory_xact_lock(72650001)`;
const LATEST_ACTIVITY = `SELECT MAX(lastActivityAt) AS last FROM Escalation`;
const STAMP = `UPDATE Escalation SET lastActivityAt = ?, updatedAt = ? WHERE id = ?`;

/**
 * Takes the activity lock: the first thing a transaction that records escalation activity does,
 * before it changes any escalation row (always in this order, so two such transactions never
 * wait for each other's row and lock at once). Taking it again in the same transaction is free.
 */
export async function lockActivity(sql: Sql): Promise<void> {
  if (sql.dialect === "postgres") await sql.get(ACTIVITY_LOCK);
}

/** Records activity on the escalation at `now`, or just after the latest activity stored if that is later. */
export async function stampActivity(sql: Sql, escalationId: number, now: Date): Promise<void> {
  await sql.transaction(async () => {
    await lockActivity(sql);
    const last = (await sql.get<{ last: string | null }>(LATEST_ACTIVITY))?.last;
    const at = last && new Date(last).getTime() >= now.getTime() ? new Date(new Date(last).getTime() + 1) : now;
    await sql.run(STAMP, [sqlTimestamp(at), sqlTimestamp(now), escalationId]);
  });
}
