/**
 * The database cannot take the request now: locked by another writer past the busy timeout, the
 * disk full, the server gone or refusing connections. Not the request's fault and not a bug: the
 * HTTP layers answer it with a 503 (so a gateway or a chat platform asks again later) and one log
 * line naming the reason, never the statement or its values. Whatever the failed transaction wrote
 * has been rolled back when this reaches them.
 */
export class DatabaseUnavailable extends Error {
  override readonly name = "DatabaseUnavailable";

  constructor(
    /** A short, fixed reason: "locked", "disk full", "connection lost", … (safe to log). */
    readonly reason: string,
    /** The driver's code (SQLITE_BUSY, 53100, ECONNREFUSED, …). */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`database unavailable: ${reason} (${code})`, options);
  }
}

/** SQLite result codes (better-sqlite3's `code`, extended codes included by prefix). */
const SQLITE_REASONS: [prefix: string, reason: string][] = [
  ["SQLITE_BUSY", "locked"],
  ["SQLITE_LOCKED", "locked"],
  ["SQLITE_FULL", "disk full"],
  ["SQLITE_IOERR", "disk error"],
  ["SQLITE_CANTOPEN", "cannot open the file"],
  ["SQLITE_READONLY", "read-only"],
  ["SQLITE_NOLFS", "disk error"],
];

/** PostgreSQL SQLSTATEs (by class, or exact) and the network errors of a lost server. */
function postgresReason(code: string): string | null {
  if (code.startsWith("08")) return "connection lost"; // connection_exception
  if (code === "53100") return "disk full";
  if (code.startsWith("53")) return "out of resources"; // out of memory, too many connections
  if (code === "57P01" || code === "57P02" || code === "57P03") return "server shutting down or starting";
  if (code === "57014") return "statement timed out"; // query_canceled (statement_timeout)
  if (code === "55P03") return "locked"; // lock_not_available (lock_timeout)
  if (code === "58030") return "disk error"; // io_error
  return null;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** Prisma's codes for a database it cannot reach or that timed out. */
const PRISMA_CODES: Record<string, string> = {
  P1001: "connection lost",
  P1002: "connection lost",
  P1008: "statement timed out",
  P1017: "connection lost",
  P2024: "connection pool timed out",
};

/**
 * `error` as a DatabaseUnavailable when it says the database is unavailable (looking through
 * `cause` and Prisma's driver-adapter details); otherwise `error` itself, unchanged.
 */
export function databaseError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailable) return error;
  const found = unavailability(error, 0);
  return found ? new DatabaseUnavailable(found.reason, found.code, { cause: error }) : error;
}

function unavailability(error: unknown, depth: number): { reason: string; code: string } | null {
  if (depth > 5 || error === null || typeof error !== "object") return null;
  if (error instanceof DatabaseUnavailable) return { reason: error.reason, code: error.code };
  const record = error as Record<string, unknown>;
  const code = typeof record.code === "string" ? record.code : undefined;
  if (code) {
    for (const [prefix, reason] of SQLITE_REASONS) if (code.startsWith(prefix)) return { reason, code };
    if (NETWORK_CODES.has(code)) return { reason: "connection lost", code };
    if (PRISMA_CODES[code]) return { reason: PRISMA_CODES[code], code };
    if (/^[0-9A-Z]{5}$/.test(code) && "severity" in record) {
      const reason = postgresReason(code);
      if (reason) return { reason, code };
    }
  }
  // node-postgres: a connection the server dropped mid-query, or a pool that cannot connect.
  const message = typeof record.message === "string" ? record.message : "";
  if (/^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message)) {
    return { reason: "connection lost", code: "connection" };
  }
  // Prisma driver adapters keep the driver's error in meta.driverAdapterError.cause.
  const meta = record.meta as Record<string, unknown> | undefined;
  const adapterCause = (meta?.driverAdapterError as Record<string, unknown> | undefined)?.cause as Record<string, unknown> | undefined;
  if (adapterCause) {
    const original = adapterCause.originalCode ?? adapterCause.extendedCode ?? adapterCause.code;
    const nested = unavailability({ code: typeof original === "string" ? original : undefined, severity: "", message: "" }, depth + 1);
    if (nested) return nested;
    const kind = adapterCause.kind;
    if (kind === "SocketTimeout" || kind === "DatabaseNotReachable" || kind === "ConnectionClosed") return { reason: "connection lost", code: String(kind) };
    // SQLite's primary result codes as numbers: 5 BUSY, 6 LOCKED, 10 IOERR, 13 FULL.
    const primary = typeof original === "number" ? original & 0xff : null;
    if (primary === 5 || primary === 6) return { reason: "locked", code: `SQLITE ${original}` };
    if (primary === 13) return { reason: "disk full", code: `SQLITE ${original}` };
    if (primary === 10) return { reason: "disk error", code: `SQLITE ${original}` };
  }
  return unavailability(record.cause, depth + 1);
}
