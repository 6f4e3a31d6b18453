import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleUser, disableConsoleUser, ConsoleUserError } from "../../src/domain/consoleUsers/consoleUsers.ts";
import { loadDemoDataIfEmpty } from "../../src/demo/loadDemoData.ts";
import { createServices, type Services } from "../../src/services.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

let temp: TempDatabase;
let services: Services;
const actor = { kind: "system", id: "test" } as const;

beforeAll(async () => {
  temp = await tempDatabase();
  services = await createServices({ config: { databaseUrl: temp.url } });
  await loadDemoDataIfEmpty(services);
});
afterAll(async () => {
  await services.close();
  await temp.cleanup();
});

async function refusal(input: Parameters<typeof createConsoleUser>[1]): Promise<ConsoleUserError> {
  try {
    await createConsoleUser(services.db.sqlite, input, actor);
  } catch (error) {
    if (error instanceof ConsoleUserError) return error;
    throw error;
  }
  throw new Error("the account was created");
}

describe("console accounts", () => {
  it("refuse what cannot be right, with a reason a person can act on", async () => {
    expect((await refusal({ username: "x3", role: "staff" })).message).toMatch(/needs at least one commune/);
    expect((await refusal({ username: "x4", role: "operator", communes: ["Bắc Sơn"] })).message).toMatch(/Only staff accounts work for communes/);
    expect((await refusal({ username: "bad name!", role: "operator" })).message).toMatch(/Username "bad name!" is not valid/);
    expect((await refusal({ username: "DEMO-ADMIN", role: "operator" })).code).toBe("taken");
    expect((await refusal({ username: "pw", role: "operator", password: "pw" })).code).toBe("bad_password");
    expect(services.db.sqlite.prepare(`SELECT COUNT(*) FROM ConsoleUser WHERE username IN ('x3', 'x4', 'pw')`).pluck().get()).toBe(0);
  });

  it("find communes by name, by name without diacritics or by id", async () => {
    const bacSon = services.db.sqlite.prepare(`SELECT id FROM Commune WHERE name = 'Bắc Sơn'`).pluck().get() as number;
    const { user } = await createConsoleUser(services.db.sqlite, { username: "two", role: "staff", communes: ["xa bac son", String(bacSon), "TRÀNG ĐỊNH"] }, actor);
    expect(user.communes.map((c) => c.name)).toEqual(["Bắc Sơn", "Tràng Định"]);
  });

  it("disabling ends the account's sessions", () => {
    const id = services.db.sqlite.prepare(`SELECT id FROM ConsoleUser WHERE username = 'two'`).pluck().get() as number;
    services.db.sqlite
      .prepare(`INSERT INTO ConsoleSession (tokenHash, userId, csrfToken, locale, createdAt, lastSeenAt, expiresAt) VALUES ('h', ?, 'c', 'vi', 'x', 'x', '9999')`)
      .run(id);
    expect(disableConsoleUser(services.db.sqlite, "two", actor)).toEqual({ changed: true });
    expect(services.db.sqlite.prepare(`SELECT COUNT(*) FROM ConsoleSession WHERE userId = ?`).pluck().get(id)).toBe(0);
    expect(disableConsoleUser(services.db.sqlite, "two", actor)).toEqual({ changed: false });
  });

  it("a staff account's scope allows its communes' beneficiaries only", async () => {
    const { scopeFor } = await import("../../src/http/console/scope.ts");
    const sql = services.db.sqlite;
    const user = sql.prepare(`SELECT id, username, displayName, role FROM ConsoleUser WHERE username = 'demo-staff'`).get() as Parameters<typeof scopeFor>[1];
    const scope = scopeFor(sql, user);
    const id = (code: string) => sql.prepare(`SELECT id FROM Beneficiary WHERE code = ?`).pluck().get(code) as number;
    expect(scope.allowsBeneficiary(id("DEMO-0001"))).toBe(true);
    expect(scope.allowsBeneficiary(id("DEMO-0004"))).toBe(false);
    expect(scope.allowsBeneficiary(999_999)).toBe(false);
    const admin = scopeFor(sql, { ...user, role: "admin" });
    expect(admin.communeIds).toBe("all");
    expect(admin.allowsBeneficiary(id("DEMO-0004"))).toBe(true);
  });

  it("demo accounts are created only when there is no account yet", async () => {
    const { createDemoConsoleAccountsIfNone } = await import("../../src/demo/demoConsoleAccounts.ts");
    expect(await createDemoConsoleAccountsIfNone(services.db.sqlite)).toBeNull();
    expect(services.db.sqlite.prepare(`SELECT COUNT(*) FROM ConsoleUser WHERE username LIKE 'demo-%'`).pluck().get()).toBe(4);
  });
});
