import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleUser, disableConsoleUser, ConsoleUserError } from "../../src/domain/consoleUsers/consoleUsers.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { createDemoConsoleAccountsIfNone } from "../../src/demo/demoConsoleAccounts.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { sqlValue } from "../helpers/consoleClient.ts";
import { addBeneficiary, addCommune } from "../broadcasts/broadcastFixture.ts";

let temp: TempDatabase;
// The accounts' functions need only the database: the demo's communes, two of their people, the DEMO accounts.
let services: { db: TempDatabase["db"] };
const actor = { kind: "system", id: "test" } as const;

beforeAll(async () => {
  temp = await tempDatabase();
  services = { db: temp.db };
  const sql = temp.db.sql;
  const bacSon = await addCommune(sql, "Bắc Sơn");
  const trangDinh = await addCommune(sql, "Tràng Định");
  for (const [code, communeId] of [["DEMO-0001", bacSon], ["DEMO-0004", trangDinh]] as const) {
    const id = await addBeneficiary(sql, { communeId });
    await sql.run(`UPDATE Beneficiary SET code = ? WHERE id = ?`, [code, id]);
  }
  await createDemoConsoleAccountsIfNone(sql);
});
afterAll(async () => {
  await temp.cleanup();
});

async function refusal(input: Parameters<typeof createConsoleUser>[1]): Promise<ConsoleUserError> {
  try {
    await createConsoleUser(services.db.sql, input, actor);
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
    expect(await sqlValue(services.db.sql, `SELECT COUNT(*) FROM ConsoleUser WHERE username IN ('x3', 'x4', 'pw')`)).toBe(0);
  });

  it("find communes by name, by name without diacritics or by id", async () => {
    const bacSon = (await sqlValue(services.db.sql, `SELECT id FROM Commune WHERE name = 'Bắc Sơn'`)) as number;
    const { user } = await createConsoleUser(services.db.sql, { username: "two", role: "staff", communes: ["xa bac son", String(bacSon), "TRÀNG ĐỊNH"] }, actor);
    expect(user.communes.map((c) => c.name)).toEqual(["Bắc Sơn", "Tràng Định"]);
  });

  it("disabling ends the account's sessions", async () => {
    const sql = services.db.sql;
    const id = (await sqlValue(sql, `SELECT id FROM ConsoleUser WHERE username = 'two'`)) as number;
    const at = sqlTimestamp(new Date("2026-12-01T00:00:00Z"));
    await sql.run(`INSERT INTO ConsoleSession (tokenHash, userId, csrfToken, locale, createdAt, lastSeenAt, expiresAt) VALUES ('h', ?, 'c', 'vi', ?, ?, ?)`, [
      id,
      at,
      at,
      sqlTimestamp(new Date("2099-01-01T00:00:00Z")),
    ]);
    expect(await disableConsoleUser(sql, "two", actor)).toEqual({ changed: true });
    expect(await sqlValue(sql, `SELECT COUNT(*) FROM ConsoleSession WHERE userId = ?`, [id])).toBe(0);
    expect(await disableConsoleUser(sql, "two", actor)).toEqual({ changed: false });
  });

  it("a staff account's scope allows its communes' beneficiaries only", async () => {
    const { scopeFor } = await import("../../src/http/console/scope.ts");
    const sql = services.db.sql;
    const user = (await sql.get(`SELECT id, username, displayName, role FROM ConsoleUser WHERE username = 'demo-staff'`)) as Parameters<typeof scopeFor>[1];
    const scope = await scopeFor(sql, user);
    const id = async (code: string) => (await sqlValue(sql, `SELECT id FROM Beneficiary WHERE code = ?`, [code])) as number;
    expect(await scope.allowsBeneficiary(await id("DEMO-0001"))).toBe(true);
    expect(await scope.allowsBeneficiary(await id("DEMO-0004"))).toBe(false);
    expect(await scope.allowsBeneficiary(999_999)).toBe(false);
    const admin = await scopeFor(sql, { ...user, role: "admin" });
    expect(admin.communeIds).toBe("all");
    expect(await admin.allowsBeneficiary(await id("DEMO-0004"))).toBe(true);
  });

  it("demo accounts are created only when there is no account yet", async () => {
    expect(await createDemoConsoleAccountsIfNone(services.db.sql)).toBeNull();
    expect(await sqlValue(services.db.sql, `SELECT COUNT(*) FROM ConsoleUser WHERE username LIKE 'demo-%'`)).toBe(4);
  });
});
