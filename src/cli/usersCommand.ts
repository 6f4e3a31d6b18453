import type { Command } from "commander";
import {
  CONSOLE_ROLES,
  createConsoleUser,
  disableConsoleUser,
  listConsoleUsers,
  resetConsoleUserPassword,
  type AccountActor,
} from "../domain/consoleUsers/consoleUsers.ts";
import { sqlTimestamp } from "../db/sql/sqlTimestamp.ts";
import { table, withDatabase } from "./withDatabase.ts";

// The command line has no console login: its changes are recorded as the system's, by `ansinh`.
const CLI: AccountActor = { kind: "system", id: "cli" };

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, "");
}

function showPassword(password: string): void {
  process.stdout.write(`One-time password (shown only now; it must be changed at the first login):\n\n    ${password}\n\n`);
}

/** Accounts of the web console (/console). */
export function registerUsers(program: Command): void {
  const users = program.command("users").description("accounts of the web console at /console: operators, commune staff, admins");
  users
    .command("add")
    .description("create an account; prints a one-time password, to be changed at the first login (or reads the password from stdin)")
    .requiredOption("--username <name>", "login name: letters a-z, digits, . _ - (stored in lower case)")
    .requiredOption("--role <role>", `one of ${CONSOLE_ROLES.join(", ")}`)
    .option("--commune <name>", "a commune the staff account works for (name, name without diacritics, or id); repeat for several", collect, [])
    .option("--display-name <text>", "the name shown in the console (default: the username)")
    .option("--password-stdin", "read the password from standard input instead of generating a one-time password")
    .action(async (options: { username: string; role: string; commune: string[]; displayName?: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await readStdin() : undefined;
      await withDatabase(async (db) => {
        const { user, oneTimePassword } = await createConsoleUser(
          db.sql,
          { username: options.username, role: options.role, communes: options.commune, displayName: options.displayName, password },
          CLI,
        );
        const where = user.communes.length ? ` for ${user.communes.map((c) => c.name).join(", ")}` : "";
        process.stdout.write(`Created ${user.role} account "${user.username}" (${user.displayName})${where}.\n`);
        if (oneTimePassword) showPassword(oneTimePassword);
      });
    });
  users
    .command("list")
    .description("list the accounts, their roles, communes and state")
    .action(() =>
      withDatabase(async (db) => {
        const all = await listConsoleUsers(db.sql);
        process.stdout.write(`${all.length} account${all.length === 1 ? "" : "s"}\n`);
        if (all.length === 0) return;
        const now = sqlTimestamp();
        const state = (u: (typeof all)[number]) =>
          u.disabled ? "disabled" : u.lockedUntil && u.lockedUntil > now ? "locked" : u.mustChangePassword ? "must change password" : "active";
        const rows = all.map((u) => [u.username, u.displayName, u.role, u.communes.map((c) => c.name).join(", ") || (u.role === "staff" ? "(none)" : "all"), state(u)]);
        process.stdout.write(table(["USERNAME", "NAME", "ROLE", "COMMUNES", "STATE"], rows) + "\n");
      }),
    );
  users
    .command("disable <username>")
    .description("disable an account and end its sessions (its audit history stays)")
    .action((username: string) =>
      withDatabase(async (db) => {
        const { changed } = await disableConsoleUser(db.sql, username, CLI);
        process.stdout.write(changed ? `Disabled "${username}" and ended its sessions.\n` : `"${username}" was already disabled.\n`);
      }),
    );
  users
    .command("reset-password <username>")
    .description("give an account a new one-time password (printed once), unlock it and end its sessions")
    .action((username: string) =>
      withDatabase(async (db) => {
        const password = await resetConsoleUserPassword(db.sql, username, CLI);
        process.stdout.write(`New password for "${username.trim().toLowerCase()}". Its sessions were ended.\n`);
        showPassword(password);
      }),
    );
}
