import { createHash, randomBytes } from "node:crypto";
import type { Request, Response } from "express";
import { parse as parseCookies, serialize } from "cookie";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { ConsoleRole } from "../../domain/consoleUsers/consoleUsers.ts";
import { isConsoleLocale, type ConsoleLocale } from "../../i18n/consoleTranslator.ts";

export const SESSION_COOKIE = "ansinh_console";
/** However busy, a session ends this long after login. */
const MAX_SESSION_MS = 12 * 60 * 60_000;

export interface ConsoleSession {
  id: number;
  userId: number;
  csrfToken: string;
  locale: ConsoleLocale;
  createdAt: string;
  username: string;
  displayName: string;
  role: ConsoleRole;
  mustChangePassword: boolean;
}

interface SessionRow extends Omit<ConsoleSession, "mustChangePassword" | "locale"> {
  locale: string;
  expiresAt: string;
  disabled: number;
  mustChangePassword: number;
}

const BY_HASH = `SELECT s.id, s.userId, s.csrfToken, s.locale, s.createdAt, s.expiresAt, u.username, u.displayName, u.role, u.disabled, u.mustChangePassword
  FROM ConsoleSession s JOIN ConsoleUser u ON u.id = s.userId WHERE s.tokenHash = ?`;
const TOUCH = `UPDATE ConsoleSession SET lastSeenAt = ?, expiresAt = ? WHERE id = ?`;
const DELETE_ONE = `DELETE FROM ConsoleSession WHERE id = ?`;

const newToken = () => randomBytes(32).toString("base64url");
const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Console sessions in the database. The cookie carries a random token; the table keeps only its
 * SHA-256, so a copy of the database lets nobody in. A session unused for `idleMinutes` ends.
 */
export class ConsoleSessions {
  constructor(
    private readonly sql: Sql,
    private readonly idleMinutes: number,
    private readonly clock: () => Date,
  ) {}

  private expiry(now: Date, createdAt: Date): string {
    return sqlTimestamp(new Date(Math.min(now.getTime() + this.idleMinutes * 60_000, createdAt.getTime() + MAX_SESSION_MS)));
  }

  /** Starts a session; the token goes in the cookie and nowhere else. */
  async create(userId: number, locale: ConsoleLocale): Promise<{ token: string }> {
    const token = newToken();
    const now = this.clock();
    await this.sql.run(
      `INSERT INTO ConsoleSession (tokenHash, userId, csrfToken, locale, createdAt, lastSeenAt, expiresAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [digest(token), userId, newToken(), locale, sqlTimestamp(now), sqlTimestamp(now), this.expiry(now, now)],
    );
    return { token };
  }

  /**
   * The live session a token belongs to, its idle time restarted; "expired" when it timed out
   * (it is deleted), null when there is none or its account is disabled.
   */
  async resume(token: string | undefined): Promise<ConsoleSession | "expired" | null> {
    if (!token) return null;
    const row = await this.sql.get<SessionRow>(BY_HASH, [digest(token)]);
    if (!row) return null;
    const now = this.clock();
    if (row.disabled === 1 || row.expiresAt <= sqlTimestamp(now)) {
      await this.sql.run(DELETE_ONE, [row.id]);
      return row.disabled === 1 ? null : "expired";
    }
    await this.sql.run(TOUCH, [sqlTimestamp(now), this.expiry(now, new Date(row.createdAt)), row.id]);
    return {
      id: row.id,
      userId: row.userId,
      csrfToken: row.csrfToken,
      locale: isConsoleLocale(row.locale) ? row.locale : "vi",
      createdAt: row.createdAt,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      mustChangePassword: row.mustChangePassword === 1,
    };
  }

  async setLocale(sessionId: number, locale: ConsoleLocale): Promise<void> {
    await this.sql.run(`UPDATE ConsoleSession SET locale = ? WHERE id = ?`, [locale, sessionId]);
  }

  async end(sessionId: number): Promise<void> {
    await this.sql.run(DELETE_ONE, [sessionId]);
  }

  /** Ends every session of the account (after a password change). */
  async endAll(userId: number): Promise<void> {
    await this.sql.run(`DELETE FROM ConsoleSession WHERE userId = ?`, [userId]);
  }

  async purgeExpired(): Promise<number> {
    return (await this.sql.run(`DELETE FROM ConsoleSession WHERE expiresAt <= ?`, [sqlTimestamp(this.clock())])).changes;
  }
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[name] : undefined;
}

/**
 * A console cookie: HttpOnly, SameSite=Lax, Path=/console, and Secure when the request came over
 * HTTPS (req.secure; behind a proxy that needs CONSOLE_TRUST_PROXY).
 */
export function setConsoleCookie(req: Request, res: Response, name: string, value: string): void {
  res.append("Set-Cookie", serialize(name, value, { httpOnly: true, sameSite: "lax", path: "/console", secure: req.secure }));
}

export function clearConsoleCookie(req: Request, res: Response, name: string): void {
  res.append("Set-Cookie", serialize(name, "", { httpOnly: true, sameSite: "lax", path: "/console", secure: req.secure, maxAge: 0, expires: new Date(0) }));
}
