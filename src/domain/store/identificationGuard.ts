import type { Sql } from "../../db/sql/sql.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";

/** The audit action of a global identification lock (one row per lock period, with its escalation). */
export const GLOBAL_LOCK_ACTION = "identity.global_locked";

const FAILURES_SINCE = `SELECT COUNT(*) AS n FROM AuditLog WHERE createdAt >= ? AND action IN ('identity.failed', 'identity.locked')`;
const LATEST_LOCK_SINCE = `SELECT createdAt FROM AuditLog WHERE createdAt >= ? AND action = '${GLOBAL_LOCK_ACTION}' ORDER BY createdAt DESC LIMIT 1`;

/**
 * What the identification actions need to know about every chat at once: how many wrong citizen
 * ID / date of birth answers were given lately (the "identity.failed" and "identity.locked" audit
 * rows each failure writes), and whether a global lock is in force.
 */
export class IdentificationGuard {
  constructor(private readonly sql: Sql) {}

  async failuresSince(since: Date): Promise<number> {
    return Number((await this.sql.get<{ n: number }>(FAILURES_SINCE, [sqlTimestamp(since)]))!.n);
  }

  /** When the latest global lock began, if one began since `since`. */
  async globalLockSince(since: Date): Promise<Date | null> {
    const row = await this.sql.get<{ createdAt: string }>(LATEST_LOCK_SINCE, [sqlTimestamp(since)]);
    return row ? new Date(row.createdAt) : null;
  }
}
