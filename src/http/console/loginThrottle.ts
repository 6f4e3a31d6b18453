import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";

/** Failed logins an account may have before it is locked. */
const MAX_FAILED_LOGINS = 5;
/** Failed logins one client address may have (over any usernames) before it is refused: offices share addresses. */
const MAX_FAILED_LOGINS_PER_ADDRESS = 4 * MAX_FAILED_LOGINS;
const MAX_DELAY_MS = 30_000;

/** How long to hold the answer to a failed login: 0, 0, then 1 s, 2 s, 4 s… doubling, at most 30 s. */
export function failedLoginDelayMs(failures: number, baseMs = 1000): number {
  if (failures < 3) return 0;
  return Math.min(baseMs * 2 ** (failures - 3), MAX_DELAY_MS);
}

interface Counter {
  failures: number;
  lastAt: number;
  lockedUntil: number;
}

/**
 * Counts failed logins per username and per client address. An account's count and lock are
 * kept on its row (they survive a restart, and `users reset-password` clears them); names that
 * are not accounts, and addresses, are counted in memory, with the same answers, so the login
 * page never tells whether a username exists. Counts older than the lock time are forgotten.
 */
export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly sql: Sql,
    private readonly lockMs: number,
    private readonly clock: () => Date,
  ) {}

  /** The live counter for a key: one whose lock ran out, or whose last failure is older than the lock time, starts again. */
  private counter(key: string, now: number): Counter {
    const found = this.counters.get(key);
    const stale = found && found.lockedUntil <= now && (found.lockedUntil > 0 || now - found.lastAt >= this.lockMs);
    if (found && !stale) return found;
    if (this.counters.size > 10_000) this.forgetOld(now);
    const fresh = { failures: 0, lastAt: now, lockedUntil: 0 };
    this.counters.set(key, fresh);
    return fresh;
  }

  private forgetOld(now: number): void {
    for (const [key, c] of this.counters) if (c.lockedUntil <= now && now - c.lastAt >= this.lockMs) this.counters.delete(key);
  }

  /** Until when a login for this username from this address is refused without checking the password, or null. */
  lockedUntil(username: string, address: string, account: { lockedUntil: string | null } | null): Date | null {
    const now = this.clock().getTime();
    const times = [this.counters.get(`ip:${address}`)?.lockedUntil ?? 0];
    if (account) times.push(account.lockedUntil ? new Date(account.lockedUntil).getTime() : 0);
    else times.push(this.counters.get(`user:${username}`)?.lockedUntil ?? 0);
    const until = Math.max(...times);
    return until > now ? new Date(until) : null;
  }

  /** Records a failed login; returns how many failures now count and whether this one locked the account. */
  async recordFailure(
    username: string,
    address: string,
    account: { id: number; failedLogins: number; lockedUntil: string | null } | null,
  ): Promise<{ failures: number; locked: boolean }> {
    const now = this.clock().getTime();
    const lockUntil = now + this.lockMs;
    const byAddress = this.counter(`ip:${address}`, now);
    byAddress.failures += 1;
    byAddress.lastAt = now;
    if (byAddress.failures >= MAX_FAILED_LOGINS_PER_ADDRESS) byAddress.lockedUntil = lockUntil;

    let userFailures: number;
    if (account) {
      // A lock that has run out starts the count afresh.
      const expired = account.lockedUntil !== null && new Date(account.lockedUntil).getTime() <= now;
      userFailures = (expired ? 0 : account.failedLogins) + 1;
      const locked = userFailures >= MAX_FAILED_LOGINS;
      await this.sql.run(`UPDATE ConsoleUser SET failedLogins = ?, lockedUntil = ? WHERE id = ?`, [
        userFailures,
        locked ? sqlTimestamp(new Date(lockUntil)) : null,
        account.id,
      ]);
    } else {
      const byName = this.counter(`user:${username}`, now);
      byName.failures += 1;
      byName.lastAt = now;
      if (byName.failures >= MAX_FAILED_LOGINS) byName.lockedUntil = lockUntil;
      userFailures = byName.failures;
    }
    return {
      failures: Math.max(userFailures, byAddress.failures),
      locked: userFailures >= MAX_FAILED_LOGINS || byAddress.failures >= MAX_FAILED_LOGINS_PER_ADDRESS,
    };
  }

  /** A successful login clears the account's count (the address's count runs out by itself). */
  async recordSuccess(account: { id: number; failedLogins: number; lockedUntil: string | null }): Promise<void> {
    if (account.failedLogins > 0 || account.lockedUntil) await this.sql.run(`UPDATE ConsoleUser SET failedLogins = 0, lockedUntil = NULL WHERE id = ?`, [account.id]);
  }
}
