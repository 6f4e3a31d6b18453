import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { beneficiaryId, ConsoleClient, DEMO, sqlValue } from "../helpers/consoleClient.ts";

// Demo data: DEMO-0001..0003 live in Bắc Sơn, DEMO-0004..0006 in Tràng Định.
let server: TestServer;
const sql = () => server.services.db.sql;
const communeId = async (name: string) => (await sqlValue(sql(), `SELECT id FROM Commune WHERE name = ?`, [name])) as number;
const as = async (account: { username: string; password: string }) => {
  const client = new ConsoleClient(server.baseUrl);
  await client.login(account.username, account.password);
  return client;
};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("roles", () => {
  it("show each role the navigation it may use", async () => {
    const links = (text: string) => [...text.matchAll(/<nav aria-label[^>]*>([\s\S]*?)<\/nav>/g)][0][1].match(/href="[^"]+"/g);
    const operator = await (await as(DEMO.operator)).get("/console/");
    expect(links(operator.text)).toEqual(['href="/console/"', 'href="/console/escalations"', 'href="/console/dashboard"']);
    const staff = await (await as(DEMO.staffBacSon)).get("/console/");
    expect(links(staff.text)).toEqual(['href="/console/"', 'href="/console/broadcasts"', 'href="/console/method-changes"', 'href="/console/privacy"', 'href="/console/dashboard"', 'href="/console/people"']);
    const admin = await (await as(DEMO.admin)).get("/console/");
    expect(links(admin.text)).toEqual([
      'href="/console/"',
      'href="/console/escalations"',
      'href="/console/broadcasts"',
      'href="/console/method-changes"',
      'href="/console/privacy"',
      'href="/console/dashboard"',
      'href="/console/people"',
      'href="/console/admin/users"',
      'href="/console/admin/audit"',
      'href="/console/admin/breaches"',
    ]);
  });

  it("are checked on the server: an operator cannot open accounts, the audit log or people by URL", async () => {
    const operator = await as(DEMO.operator);
    for (const path of ["/console/admin/users", "/console/admin/audit", "/console/people", `/console/people/${await beneficiaryId(sql(), "DEMO-0001")}`, "/console/broadcasts"]) {
      const answer = await operator.get(path);
      expect(answer.status, path).toBe(403);
      expect(answer.text).toContain("Không có quyền");
    }
    const create = await operator.post("/console/admin/users", { username: "sneaky", role: "admin" });
    expect(create.status).toBe(403);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM ConsoleUser WHERE username = 'sneaky'`)).toBe(0);
  });

  it("staff cannot open accounts or escalations", async () => {
    const staff = await as(DEMO.staffBacSon);
    expect((await staff.get("/console/admin/users")).status).toBe(403);
    expect((await staff.get("/console/escalations")).status).toBe(403);
    expect((await staff.get("/console/people")).status).toBe(200);
  });
});

describe("commune staff see their own communes only", () => {
  it("the list shows their commune's people, masked, and none of another commune's", async () => {
    const staff = await as(DEMO.staffBacSon);
    const page = await staff.get("/console/people");
    expect(page.status).toBe(200);
    for (const name of ["Nguyễn Văn An (DEMO)", "Hoàng Thị Bình (DEMO)", "Lương Minh Đức (DEMO)"]) expect(page.text).toContain(name);
    for (const name of ["Vi Thị Hoa (DEMO)", "Nông Văn Sơn (DEMO)", "Đinh Thị Mai (DEMO)"]) expect(page.text).not.toContain(name);
    expect(page.text).toContain("3 người");
    // Masked: the citizen ID's last 4 digits, the phone's first 4 and last 3; never the whole number.
    expect(page.text).toContain("****1234");
    expect(page.text).toContain("0912***678");
    expect(page.text).not.toContain("020050001234");
    expect(page.text).not.toContain("0912345678");
    expect(page.text).not.toContain("84912345678");
  });

  it("a crafted ?commune= of another commune gets the same 404 as one that does not exist", async () => {
    const staff = await as(DEMO.staffBacSon);
    const other = await staff.get(`/console/people?commune=${await communeId("Tràng Định")}`);
    const missing = await staff.get("/console/people?commune=99999");
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.text).not.toContain("Vi Thị Hoa");
    const main = (text: string) => text.slice(text.indexOf("<main"));
    expect(main(other.text)).toBe(main(missing.text));
    const own = await staff.get(`/console/people?commune=${await communeId("Bắc Sơn")}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain("Nguyễn Văn An (DEMO)");
    expect((await staff.get("/console/people?commune=abc")).status).toBe(400);
    expect((await staff.get("/console/people?page=0")).status).toBe(400);
  });

  it("a search never reaches another commune", async () => {
    const staff = await as(DEMO.staffBacSon);
    const byName = await staff.get(`/console/people?q=${encodeURIComponent("vi thi hoa")}`);
    expect(byName.text).toContain("0 người");
    expect(byName.text).not.toContain("Vi Thị Hoa");
    const byCode = await staff.get("/console/people?q=DEMO-0004");
    expect(byCode.text).not.toContain("Vi Thị Hoa");
    // …while it finds their own people without diacritics or case.
    const own = await staff.get(`/console/people?q=${encodeURIComponent("LUONG MINH")}`);
    expect(own.text).toContain("Lương Minh Đức (DEMO)");
    expect(own.text).toContain("1 người");
  });

  it("opening another commune's person by URL is a 404, the same as an id that does not exist", async () => {
    const staff = await as(DEMO.staffBacSon);
    const other = await staff.get(`/console/people/${await beneficiaryId(sql(), "DEMO-0004")}`);
    const missing = await staff.get("/console/people/999999");
    const garbage = await staff.get("/console/people/1%27%20OR%201=1");
    for (const answer of [other, missing, garbage]) {
      expect(answer.status).toBe(404);
      expect(answer.text).toContain("Không tìm thấy");
    }
    expect(other.text).not.toContain("Vi Thị Hoa");
    const own = await staff.get(`/console/people/${await beneficiaryId(sql(), "DEMO-0002")}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain("Hoàng Thị Bình (DEMO)");
    expect(own.text).toContain("Lương Văn Cường (DEMO)"); // the guardian, phone masked
    expect(own.text).toContain("0987***321");
    expect(own.text).toContain("***6789"); // account masked
    expect(own.text).not.toContain("4200123456789");
    const viewed = await sql().get(`SELECT actorKind, actorId, entityId FROM AuditLog WHERE action = 'person.viewed' ORDER BY id DESC LIMIT 1`);
    expect(viewed).toEqual({ actorKind: "staff", actorId: "demo-staff", entityId: String(await beneficiaryId(sql(), "DEMO-0002")) });
  });

  it("an admin sees every commune", async () => {
    const admin = await as(DEMO.admin);
    const page = await admin.get("/console/people");
    expect(page.text).toContain("6 người");
    expect((await admin.get(`/console/people/${await beneficiaryId(sql(), "DEMO-0004")}`)).status).toBe(200);
  });
});

describe("escaping", () => {
  it("shows a beneficiary named <script>alert(1)</script> as text, in the list, the person page and the audit log", async () => {
    const id = await beneficiaryId(sql(), "DEMO-0003");
    await sql().run(`UPDATE Beneficiary SET fullName = ?, village = ? WHERE id = ?`, ["<script>alert(1)</script>", `"><img src=x onerror=alert(2)>`, id]);
    await sql().run(`INSERT INTO AuditLog (actorKind, actorId, action, entity, entityId, before, after, createdAt) VALUES ('import', 'x.csv', 'beneficiary.updated', 'Beneficiary', ?, ?, ?, ?)`, [String(id), JSON.stringify({ fullName: "Lương Minh Đức (DEMO)" }), JSON.stringify({ fullName: "<script>alert(1)</script>" }), sqlTimestamp(new Date())]);
    const staff = await as(DEMO.staffBacSon);
    const list = await staff.get("/console/people");
    const person = await staff.get(`/console/people/${id}`);
    const audit = await (await as(DEMO.admin)).get("/console/admin/audit?entity=Beneficiary");
    for (const page of [list, person, audit]) {
      expect(page.text).not.toContain("<script>alert(1)</script>");
      expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.text).not.toMatch(/<script(?! src="\/console\/assets\/console\.js)/);
    }
    expect(list.text).not.toContain("<img");
    expect(person.text).toContain("<title>&lt;script&gt;alert(1)&lt;/script&gt; · ");
  });
});
