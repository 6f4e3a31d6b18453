import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { verifyPassword } from "../../src/domain/consoleUsers/passwords.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// The suite's kind of database (a SQLite file, or a PostgreSQL copy with TEST_DATABASE=postgres), which the commands open by DATABASE_URL.
let temp: TempDatabase;
let dir: string;
let env: { DATABASE_URL: string };
beforeAll(async () => {
  temp = await tempDatabase();
  await temp.db.close();
  dir = temp.dir;
  env = { DATABASE_URL: temp.url };
});
afterAll(async () => {
  await temp.cleanup();
});
const ansinh = (args: string[], input?: string) => runAnsinh(args, { cwd: dir, env, input });

async function account(username: string) {
  const db = await openDatabase(env.DATABASE_URL);
  try {
    const user = await db.sql.get<{ id: number; username: string; displayName: string; role: string; passwordHash: string; mustChangePassword: number; disabled: number }>(
      `SELECT id, username, displayName, role, passwordHash, mustChangePassword, disabled FROM ConsoleUser WHERE username = ?`,
      [username],
    );
    if (!user) return undefined;
    const communes = await db.sql.all<{ name: string }>(`SELECT c.name FROM ConsoleUserCommune uc JOIN Commune c ON c.id = uc.communeId WHERE uc.userId = ?`, [user.id]);
    const { id: _id, ...shown } = user;
    return { ...shown, communes: communes.length ? communes.map((c) => c.name).join(",") : null };
  } finally {
    await db.close();
  }
}

describe("ansinh users", () => {
  it("demo load creates the DEMO console accounts and prints them", async () => {
    const result = await ansinh(["demo", "load"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("DEMO console accounts");
    expect(result.stdout).toMatch(/demo-staff +demo-staff-pass +staff \(Bắc Sơn\)/);
  }, 60_000);

  it("add prints a one-time password that matches the stored hash and must be changed", async () => {
    const result = await ansinh(["users", "add", "--username", "Lan", "--role", "staff", "--commune", "bac son", "--commune", "Xã Tràng Định", "--display-name", "Nguyễn Thị Lan"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Created staff account "lan" (Nguyễn Thị Lan) for Bắc Sơn, Tràng Định.`);
    const password = /^ {4}(\S+)$/m.exec(result.stdout)![1];
    const stored = (await account("lan"))!;
    expect(stored).toMatchObject({ role: "staff", mustChangePassword: 1, disabled: 0 });
    expect(stored.communes!.split(",").sort()).toEqual(["Bắc Sơn", "Tràng Định"]);
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.passwordHash, password)).toBe(true);
    expect(result.stdout).not.toContain(stored.passwordHash);
  }, 60_000);

  it("add --password-stdin takes the person's own password (no forced change) and prints none", async () => {
    const result = await ansinh(["users", "add", "--username", "admin", "--role", "admin", "--password-stdin"], "a long admin password\n");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain("One-time password");
    const stored = (await account("admin"))!;
    expect(stored.mustChangePassword).toBe(0);
    expect(await verifyPassword(stored.passwordHash, "a long admin password")).toBe(true);
    const short = await ansinh(["users", "add", "--username", "shorty", "--role", "operator", "--password-stdin"], "short\n");
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("too short");
  }, 90_000);

  it("refuses what cannot be right, saying why, and creates nothing", async () => {
    // Each run starts a process (seconds on a busy machine): the other refusals are tested on createConsoleUser itself.
    const cases: [string[], RegExp][] = [
      [["--username", "lan", "--role", "operator"], /already an account "lan"/],
      [["--username", "x1", "--role", "boss"], /Role must be one of operator, staff, admin/],
      [["--username", "x2", "--role", "staff", "--commune", "Atlantis"], /No commune is called "Atlantis"\. Communes: Bắc Sơn, Tràng Định\./],
    ];
    for (const [args, message] of cases) {
      const result = await ansinh(["users", "add", ...args]);
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    for (const name of ["x1", "x2"]) expect(await account(name)).toBeUndefined();
  }, 120_000);

  it("list, reset-password and disable", async () => {
    const list = await ansinh(["users", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("6 accounts");
    expect(list.stdout).toMatch(/lan +Nguyễn Thị Lan +staff +Bắc Sơn, Tràng Định +must change password/);
    expect(list.stdout).toMatch(/admin +admin +admin +all +active/);

    const before = (await account("admin"))!.passwordHash;
    const reset = await ansinh(["users", "reset-password", "ADMIN"]);
    expect(reset.code).toBe(0);
    const password = /^ {4}(\S+)$/m.exec(reset.stdout)![1];
    const after = (await account("admin"))!;
    expect(after.passwordHash).not.toBe(before);
    expect(after.mustChangePassword).toBe(1);
    expect(await verifyPassword(after.passwordHash, password)).toBe(true);

    expect((await ansinh(["users", "disable", "lan"])).stdout).toContain(`Disabled "lan"`);
    expect((await account("lan"))!.disabled).toBe(1);
    const missing = await ansinh(["users", "disable", "nobody"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`There is no account "nobody".`);
  }, 120_000);

  it("records every change in the audit log as the command line's", async () => {
    const db = await openDatabase(env.DATABASE_URL);
    const rows = await db.sql.all(`SELECT actorKind, actorId, action FROM AuditLog WHERE entity = 'ConsoleUser' AND actorId = 'cli' ORDER BY id`);
    await db.close();
    expect(rows).toEqual([
      { actorKind: "system", actorId: "cli", action: "console_user.created" },
      { actorKind: "system", actorId: "cli", action: "console_user.created" },
      { actorKind: "system", actorId: "cli", action: "console_user.password_reset" },
      { actorKind: "system", actorId: "cli", action: "console_user.disabled" },
    ]);
  });
});
