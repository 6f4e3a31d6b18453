import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { exportPersonalData } from "../../src/domain/privacy/exportPersonalData.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";
import { TEST_DIALECT } from "../helpers/tempDatabase.ts";

// Access and erasure for one person: An (DEMO-0001, citizen ID 020050001234, phone 0912345678)
// and a second "Nguyễn Văn An (DEMO)" in another commune, with a chat and messages of his own.
const NOW = new Date("2026-12-09T03:00:00Z");
const AN_PHONE = "+84912345678";
const TWIN_PHONE = "+84900777666";
let server: TestServer;
let anId: number;
let twinId: number;
const sql = () => server.services.db.sql;

beforeAll(async () => {
  server = await startTestServer({ clock: () => NOW });
  anId = (await sql().get<{ id: number }>(`SELECT id FROM Beneficiary WHERE code = 'DEMO-0001'`))!.id;
  const other = (await sql().get<{ communeId: number }>(`SELECT communeId FROM Beneficiary WHERE code = 'DEMO-0004'`))!;
  const at = sqlTimestamp(NOW);
  twinId = (await sql().get<{ id: number }>(
    `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, status, phone, createdAt, updatedAt)
     VALUES ('TWIN-0001', 'Nguyễn Văn An (DEMO)', '1950-03-05', ?, 'Người cao tuổi', 'active', ?, ?, ?) RETURNING id`,
    [other.communeId, TWIN_PHONE, at, at],
  ))!.id;
  await sql().run(`INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, createdAt, updatedAt) VALUES ('ussd', ?, ?, 'phone', ?, ?)`, [TWIN_PHONE, twinId, at, at]);
  await sql().run(`INSERT INTO MessageLog (channel, externalId, direction, text, createdAt) VALUES ('ussd', ?, 'in', 'twin says hello', ?)`, [TWIN_PHONE, at]);
  await sql().run(`INSERT INTO Consent (channel, externalId, beneficiaryId, decision, noticeVersion, createdAt) VALUES ('ussd', ?, ?, 'given', '2026-12-v2', ?)`, [TWIN_PHONE, twinId, at]);
  await sql().run(
    `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, beneficiaryId, kind, text, dueAt, status, createdAt, updatedAt) VALUES ('twin-notice', 'ussd', ?, ?, 'notice', 'twin notice', ?, 'sent', ?, ?)`,
    [TWIN_PHONE, twinId, at, at, at],
  );
  // An talks to the bot: the notice, his payment.
  const an = new UssdCaller(server.baseUrl, AN_PHONE);
  await an.dial();
  await an.press("1");
});
afterAll(async () => {
  await server.close();
});

describe("access: everything about one person, nothing about anyone else", () => {
  it("exports An's records, payments, conversation, consents and audit rows, and none of his namesake's", async () => {
    const data = (await exportPersonalData(sql(), { beneficiaryId: anId }, { actor: { kind: "staff", id: "tester" }, now: NOW }))!;
    const json = JSON.stringify(data.json);
    expect(data.json.person).toMatchObject({ code: "DEMO-0001", fullName: "Nguyễn Văn An (DEMO)" });
    expect(data.json.sections.payments.map((p) => p.period)).toEqual(["2026-11", "2026-12"]);
    expect(data.json.sections.conversations.length).toBeGreaterThan(0);
    expect(data.json.sections.conversations.every((m) => m.externalId === AN_PHONE)).toBe(true);
    expect(data.json.sections.consents).toMatchObject([{ decision: "given", channel: "ussd" }]);
    expect(data.json.sections.audit.some((a) => a.action === "identity.verified")).toBe(true);
    for (const other of ["TWIN-0001", TWIN_PHONE, "twin says hello", "twin notice"]) expect(json).not.toContain(other);
    expect(json).not.toContain("accountNumberSealed");
    expect(data.html).toContain("<h2>payments</h2>");
    expect(await sql().get(`SELECT 1 AS yes FROM AuditLog WHERE action = 'personal_data.exported' AND entityId = ?`, [String(anId)])).toBeTruthy();
  });

  it.skipIf(TEST_DIALECT === "postgres")("`ansinh privacy export --citizen-id` writes the JSON and the readable HTML", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-export-"));
    const file = path.join(dir, "an.json");
    const result = await runAnsinh(["privacy", "export", "--citizen-id", "020050001234", file], { cwd: dir, env: { DATABASE_URL: server.services.config.databaseUrl } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const written = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(written.person.code).toBe("DEMO-0001");
    expect(fs.readFileSync(path.join(dir, "an.html"), "utf8")).toContain("Nguyễn Văn An (DEMO)");
    expect(result.stdout).not.toContain("020050001234");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("erasure keeps what the law requires", () => {
  it.skipIf(TEST_DIALECT === "postgres")("`ansinh privacy erase` removes transcripts and chat links, keeps payments, and says so", async () => {
    const result = await runAnsinh(["privacy", "erase", "--citizen-id", "020050001234"], { cwd: os.tmpdir(), env: { DATABASE_URL: server.services.config.databaseUrl } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Payment records");
    expect(result.stdout).toContain("legal duty");
    const count = async (q: string, p: unknown[]) => Number((await sql().get<{ n: number }>(q, p))!.n);
    expect(await count(`SELECT COUNT(*) AS n FROM MessageLog WHERE externalId = ?`, [AN_PHONE])).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM ChannelIdentity WHERE beneficiaryId = ?`, [anId])).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM Payment WHERE beneficiaryId = ?`, [anId])).toBe(2);
    // On the December list: the phone stays (the payment needs it).
    expect((await sql().get<{ phone: string }>(`SELECT phone FROM Beneficiary WHERE id = ?`, [anId]))!.phone).toBe(AN_PHONE);
    expect(await sql().get(`SELECT 1 AS yes FROM AuditLog WHERE action = 'personal_data.erased' AND entityId = ?`, [String(anId)])).toBeTruthy();
    // The namesake is untouched.
    expect(await count(`SELECT COUNT(*) AS n FROM MessageLog WHERE externalId = ?`, [TWIN_PHONE])).toBe(1);
    // The next dial is a first contact again: the notice comes back.
    const an = new UssdCaller(server.baseUrl, AN_PHONE);
    an.acceptsNotice = false;
    expect((await an.dial()).screen).toContain("Thong bao ve du lieu ca nhan");
  });
});
