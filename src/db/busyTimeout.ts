/**
 * How long a write waits for a lock another writer holds before it fails as DatabaseUnavailable
 * ("locked"): DATABASE_BUSY_TIMEOUT_MS, default 10 s. On SQLite it is the busy timeout (another
 * command writing the same file); better-sqlite3 waits synchronously, so the whole process waits
 * that long. On PostgreSQL it is each connection's lock_timeout (a row or table another
 * transaction holds).
 */
export function busyTimeoutMs(): number {
  const raw = process.env.DATABASE_BUSY_TIMEOUT_MS;
  const configured = Number(raw);
  return raw && Number.isInteger(configured) && configured >= 1 && configured <= 600_000 ? configured : 10_000;
}
