import type { Sql } from "../db/sql/sql.ts";
import { createConsoleUser } from "../domain/consoleUsers/consoleUsers.ts";

/**
 * DEMO console accounts, with passwords published in the README: for trying the console on a
 * laptop, never for real use. Created only with the demo data, and only when no account exists.
 */
const DEMO_CONSOLE_ACCOUNTS = [
  { username: "demo-admin", role: "admin", displayName: "Quản trị (DEMO)", password: "demo-admin-pass", communes: [] },
  { username: "demo-operator", role: "operator", displayName: "Tổng đài viên (DEMO)", password: "demo-operator-pass", communes: [] },
  { username: "demo-staff", role: "staff", displayName: "Cán bộ xã Bắc Sơn (DEMO)", password: "demo-staff-pass", communes: ["Bắc Sơn"] },
  { username: "demo-staff-td", role: "staff", displayName: "Cán bộ xã Tràng Định (DEMO)", password: "demo-staff-td-pass", communes: ["Tràng Định"] },
] as const;

export type DemoConsoleAccount = (typeof DEMO_CONSOLE_ACCOUNTS)[number];

export async function createDemoConsoleAccountsIfNone(sql: Sql): Promise<readonly DemoConsoleAccount[] | null> {
  if ((await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ConsoleUser`))!.n > 0) return null;
  for (const account of DEMO_CONSOLE_ACCOUNTS) {
    await createConsoleUser(sql, { ...account, communes: [...account.communes] }, { kind: "system", id: "demo" });
  }
  return DEMO_CONSOLE_ACCOUNTS;
}

/** What `serve` and `demo load` print when they create the demo accounts (the passwords are the README's). */
export function describeDemoConsoleAccounts(accounts: readonly DemoConsoleAccount[], url: string): string {
  const width = Math.max(...accounts.map((a) => a.username.length));
  return [
    `DEMO console accounts (published passwords, for trying only: disable them before real use) at ${url}:`,
    ...accounts.map((a) => `  ${a.username.padEnd(width)}  ${a.password.padEnd(20)} ${a.role}${a.communes.length ? ` (${a.communes.join(", ")})` : ""}`),
    "",
  ].join("\n");
}

/** Demo accounts still enabled: worth a warning at every start, since their passwords are public. */
export async function enabledDemoAccounts(sql: Sql): Promise<string[]> {
  const names = DEMO_CONSOLE_ACCOUNTS.map((a) => a.username);
  const rows = await sql.all<{ username: string }>(
    `SELECT username FROM ConsoleUser WHERE disabled = FALSE AND username IN (${names.map(() => "?").join(", ")}) ORDER BY username`,
    names,
  );
  return rows.map((r) => r.username);
}
