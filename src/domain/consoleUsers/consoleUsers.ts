import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { audit } from "../audit.ts";
import { generateOneTimePassword, hashPassword, passwordProblem } from "./passwords.ts";
import { findCommunes } from "./communes.ts";
import { ConsoleUserError } from "./consoleUserError.ts";

export { ConsoleUserError };

export const CONSOLE_ROLES = ["operator", "staff", "admin"] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** Who makes a change to an account: a console user (by username), or the `ansinh` command. */
export interface AccountActor {
  kind: "staff" | "system";
  id: string;
}

export interface ConsoleUserRecord {
  id: number;
  username: string;
  displayName: string;
  role: ConsoleRole;
  passwordHash: string;
  mustChangePassword: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  disabled: boolean;
}

export interface ConsoleUserListing {
  id: number;
  username: string;
  displayName: string;
  role: ConsoleRole;
  disabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  communes: { id: number; name: string }[];
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** Usernames are compared in lower case: "Lan" and "lan" are one account. */
export function normalizeUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw new ConsoleUserError("bad_username", `Username "${raw}" is not valid: 2 to 40 characters, letters a-z, digits, ".", "_" or "-", starting with a letter or digit.`);
  }
  return username;
}

export function isConsoleRole(value: string): value is ConsoleRole {
  return (CONSOLE_ROLES as readonly string[]).includes(value);
}

interface UserRow extends Omit<ConsoleUserRecord, "mustChangePassword" | "disabled"> {
  mustChangePassword: number;
  disabled: number;
}

const USER_COLUMNS = `id, username, displayName, role, passwordHash, mustChangePassword, failedLogins, lockedUntil, disabled`;

function toRecord(row: UserRow | undefined): ConsoleUserRecord | null {
  return row ? { ...row, mustChangePassword: row.mustChangePassword === 1, disabled: row.disabled === 1 } : null;
}

const BY_USERNAME = `SELECT ${USER_COLUMNS} FROM ConsoleUser WHERE username = ?`;
const BY_ID = `SELECT ${USER_COLUMNS} FROM ConsoleUser WHERE id = ?`;

export async function findConsoleUser(sql: Sql, username: string): Promise<ConsoleUserRecord | null> {
  return toRecord(await sql.get<UserRow>(BY_USERNAME, [username.trim().toLowerCase()]));
}

export async function findConsoleUserById(sql: Sql, id: number): Promise<ConsoleUserRecord | null> {
  return toRecord(await sql.get<UserRow>(BY_ID, [id]));
}

/** The ids of the communes a staff account works for. */
export async function communeIdsOf(sql: Sql, userId: number): Promise<number[]> {
  const rows = await sql.all<{ communeId: number }>(`SELECT communeId FROM ConsoleUserCommune WHERE userId = ? ORDER BY communeId`, [userId]);
  return rows.map((r) => r.communeId);
}

export async function listConsoleUsers(sql: Sql): Promise<ConsoleUserListing[]> {
  const users = await sql.all<Omit<ConsoleUserListing, "communes" | "disabled" | "mustChangePassword"> & { disabled: number; mustChangePassword: number }>(
    `SELECT id, username, displayName, role, disabled, mustChangePassword, lockedUntil, createdAt FROM ConsoleUser ORDER BY username`,
  );
  const communes = await sql.all<{ userId: number; id: number; name: string }>(
    `SELECT uc.userId, c.id, c.name FROM ConsoleUserCommune uc JOIN Commune c ON c.id = uc.communeId ORDER BY c.name`,
  );
  return users.map((u) => ({
    ...u,
    disabled: u.disabled === 1,
    mustChangePassword: u.mustChangePassword === 1,
    communes: communes.filter((c) => c.userId === u.id).map(({ id, name }) => ({ id, name })),
  }));
}

export interface NewConsoleUser {
  username: string;
  displayName?: string;
  role: string;
  /** Commune names, keys or ids; staff only, and at least one for staff. */
  communes?: string[];
  /** The account's password; without it a one-time password is generated (and must be changed at first login). */
  password?: string;
}

/** Creates an account. Returns it with the one-time password when one was generated (shown once, never stored). */
export async function createConsoleUser(
  sql: Sql,
  input: NewConsoleUser,
  actor: AccountActor,
  now = new Date(),
): Promise<{ user: ConsoleUserListing; oneTimePassword: string | null }> {
  const username = normalizeUsername(input.username);
  if (!isConsoleRole(input.role)) throw new ConsoleUserError("bad_role", `Role must be one of ${CONSOLE_ROLES.join(", ")} (got "${input.role}").`);
  const communeNames = (input.communes ?? []).map((c) => c.trim()).filter(Boolean);
  if (input.role !== "staff" && communeNames.length) {
    throw new ConsoleUserError("communes_for_staff_only", `Only staff accounts work for communes; a ${input.role} sees every commune.`);
  }
  if (input.role === "staff" && communeNames.length === 0) {
    throw new ConsoleUserError("staff_needs_commune", "A staff account needs at least one commune (--commune NAME).");
  }
  const communes = await findCommunes(sql, communeNames);
  const displayName = (input.displayName ?? "").trim() || username;
  if (displayName.length > 100) throw new ConsoleUserError("bad_display_name", "The display name is longer than 100 characters.");
  if (await findConsoleUser(sql, username)) throw new ConsoleUserError("taken", `There is already an account "${username}".`);
  const oneTimePassword = input.password === undefined ? generateOneTimePassword() : null;
  const password = input.password ?? oneTimePassword!;
  const problem = passwordProblem(password, username);
  if (problem) throw new ConsoleUserError("bad_password", passwordProblemMessage(problem));
  const passwordHash = await hashPassword(password);
  const at = sqlTimestamp(now);
  const id = await sql.transaction(async () => {
    const inserted = await sql.get<{ id: number }>(
      `INSERT INTO ConsoleUser (username, displayName, role, passwordHash, mustChangePassword, createdAt, updatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [username, displayName, input.role, passwordHash, Boolean(oneTimePassword), at, at],
    );
    const userId = inserted!.id;
    for (const commune of communes) await sql.run(`INSERT INTO ConsoleUserCommune (userId, communeId) VALUES (?, ?)`, [userId, commune.id]);
    await audit(sql, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: "console_user.created",
      entity: "ConsoleUser",
      entityId: userId,
      after: { username, displayName, role: input.role, communes: communes.map((c) => c.name), oneTimePassword: Boolean(oneTimePassword) },
      at: now,
    });
    return userId;
  });
  return { user: (await listConsoleUsers(sql)).find((u) => u.id === id)!, oneTimePassword };
}

async function existing(sql: Sql, username: string): Promise<ConsoleUserRecord> {
  const user = await findConsoleUser(sql, username);
  if (!user) throw new ConsoleUserError("not_found", `There is no account "${username}".`);
  return user;
}

/** Disables an account and ends its sessions. Disabling a disabled account changes nothing. */
export async function disableConsoleUser(sql: Sql, username: string, actor: AccountActor, now = new Date()): Promise<{ changed: boolean }> {
  const user = await existing(sql, username);
  if (user.disabled) return { changed: false };
  await sql.transaction(async () => {
    await sql.run(`UPDATE ConsoleUser SET disabled = TRUE, updatedAt = ? WHERE id = ?`, [sqlTimestamp(now), user.id]);
    await sql.run(`DELETE FROM ConsoleSession WHERE userId = ?`, [user.id]);
    await audit(sql, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: "console_user.disabled",
      entity: "ConsoleUser",
      entityId: user.id,
      before: { username: user.username, disabled: false },
      after: { username: user.username, disabled: true },
      at: now,
    });
  });
  return { changed: true };
}

/**
 * Gives an account a new one-time password (returned, to be shown once), unlocks it, ends its
 * sessions, and makes the person choose their own password at the next login.
 */
export async function resetConsoleUserPassword(sql: Sql, username: string, actor: AccountActor, now = new Date()): Promise<string> {
  const user = await existing(sql, username);
  const password = generateOneTimePassword();
  const passwordHash = await hashPassword(password);
  await sql.transaction(async () => {
    await sql.run(
      `UPDATE ConsoleUser SET passwordHash = ?, mustChangePassword = TRUE, failedLogins = 0, lockedUntil = NULL, updatedAt = ? WHERE id = ?`,
      [passwordHash, sqlTimestamp(now), user.id],
    );
    await sql.run(`DELETE FROM ConsoleSession WHERE userId = ?`, [user.id]);
    await audit(sql, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: "console_user.password_reset",
      entity: "ConsoleUser",
      entityId: user.id,
      before: { username: user.username, mustChangePassword: user.mustChangePassword, locked: Boolean(user.lockedUntil) },
      after: { username: user.username, mustChangePassword: true, locked: false },
      at: now,
    });
  });
  return password;
}

/** A person sets their own password: the one-time password stops working. */
export async function setOwnPassword(sql: Sql, user: Pick<ConsoleUserRecord, "id" | "username">, password: string, now = new Date()): Promise<void> {
  const problem = passwordProblem(password, user.username);
  if (problem) throw new ConsoleUserError("bad_password", passwordProblemMessage(problem));
  const passwordHash = await hashPassword(password);
  await sql.transaction(async () => {
    await sql.run(`UPDATE ConsoleUser SET passwordHash = ?, mustChangePassword = FALSE, updatedAt = ? WHERE id = ?`, [passwordHash, sqlTimestamp(now), user.id]);
    await audit(sql, {
      actorKind: "staff",
      actorId: user.username,
      action: "console_user.password_changed",
      entity: "ConsoleUser",
      entityId: user.id,
      at: now,
    });
  });
}

export function passwordProblemMessage(problem: NonNullable<ReturnType<typeof passwordProblem>>): string {
  switch (problem) {
    case "too_short":
      return "The password is too short: at least 10 characters.";
    case "too_long":
      return "The password is too long: at most 200 characters.";
    case "same_as_username":
      return "The password must not be the username.";
  }
}
