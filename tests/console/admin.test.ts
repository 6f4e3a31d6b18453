import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { ConsoleClient, DEMO, sqlValue } from "../helpers/consoleClient.ts";

let server: TestServer;
const sql = () => server.services.db.sql;
const communeId = async (name: string) => (await sqlValue(sql(), `SELECT id FROM Commune WHERE name = ?`, [name])) as number;
const lastAudit = async (action: string) =>
  (await sql().get(`SELECT actorKind, actorId, entity, entityId, before, after FROM AuditLog WHERE action = ? ORDER BY id DESC LIMIT 1`, [action])) as
    | { actorKind: string; actorId: string; entity: string; entityId: string; before: string | null; after: string | null }
    | undefined;
const oneTimePassword = (text: string) => /<span class="secret"[^>]*>([^<]+)<\/span>/.exec(text)![1];

let admin: ConsoleClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = new ConsoleClient(server.baseUrl);
  await admin.login(DEMO.admin.username, DEMO.admin.password);
});
afterAll(async () => {
  await server.close();
});

describe("accounts page (admin)", () => {
  it("lists the accounts with role, communes and state", async () => {
    const page = await admin.get("/console/admin/users");
    expect(page.status).toBe(200);
    expect(page.text).toContain("4 tài khoản");
    expect(page.text).toMatch(/<td>demo-staff<\/td><td>Cán bộ xã Bắc Sơn \(DEMO\)<\/td><td>Cán bộ xã<\/td><td>Bắc Sơn<\/td><td>Đang dùng<\/td>/);
  });

  it("creates a staff account for a commune, shows its one-time password once, and audits it", async () => {
    const created = await admin.post("/console/admin/users", { username: "Lan.Nguyen", displayName: "Nguyễn Thị Lan", role: "staff", commune: [String(await communeId("Tràng Định"))] });
    expect(created.status).toBe(200);
    expect(created.text).toContain("Đã tạo tài khoản lan.nguyen");
    const password = oneTimePassword(created.text);
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const audit = (await lastAudit("console_user.created"))!;
    expect(audit).toMatchObject({ actorKind: "staff", actorId: "demo-admin", entity: "ConsoleUser" });
    expect(JSON.parse(audit.after!)).toEqual({ username: "lan.nguyen", displayName: "Nguyễn Thị Lan", role: "staff", communes: ["Tràng Định"], oneTimePassword: true });
    expect(audit.after).not.toContain(password);
    // The new account must change the password first, and then sees Tràng Định only.
    const lan = new ConsoleClient(server.baseUrl);
    expect((await lan.submitLogin("lan.nguyen", password)).location).toBe("/console/password");
    await lan.get("/console/password");
    expect((await lan.post("/console/password", { current: password, password: "Lan's own password", confirm: "Lan's own password" })).status).toBe(303);
    const people = await lan.get("/console/people");
    expect(people.text).toContain("Vi Thị Hoa (DEMO)");
    expect(people.text).not.toContain("Nguyễn Văn An (DEMO)");
  });

  it("refuses a bad account with a 400, the reason, and what was typed kept", async () => {
    const taken = await admin.post("/console/admin/users", { username: "demo-staff", displayName: "Someone", role: "operator" });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain("Tên đăng nhập này đã có người dùng.");
    expect(taken.text).toContain('value="Someone"');
    const noCommune = await admin.post("/console/admin/users", { username: "staff-nowhere", role: "staff" });
    expect(noCommune.status).toBe(400);
    expect(noCommune.text).toContain("cần ít nhất một xã");
    const badRole = await admin.post("/console/admin/users", { username: "root", role: "superuser" });
    expect(badRole.status).toBe(400);
    const badName = await admin.post("/console/admin/users", { username: "<b>x</b>", role: "operator" });
    expect(badName.status).toBe(400);
    expect(badName.text).toContain('value="&lt;b&gt;x&lt;/b&gt;"');
    const unknownCommune = await admin.post("/console/admin/users", { username: "staff-x", role: "staff", commune: "99999" });
    expect(unknownCommune.status).toBe(400);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM ConsoleUser WHERE username IN ('staff-nowhere', 'root', 'staff-x')`)).toBe(0);
  });

  it("resets a password: a new one-time password, the old sessions end, the account unlocks", async () => {
    const operator = new ConsoleClient(server.baseUrl);
    await operator.login(DEMO.operator.username, DEMO.operator.password);
    await sql().run(`UPDATE ConsoleUser SET failedLogins = 5, lockedUntil = ? WHERE username = 'demo-operator'`, ["2099-01-01T00:00:00.000+00:00"]);
    const reset = await admin.post("/console/admin/users/demo-operator/reset-password");
    expect(reset.status).toBe(200);
    const password = oneTimePassword(reset.text);
    expect((await operator.get("/console/")).status).toBe(303);
    const fresh = new ConsoleClient(server.baseUrl);
    expect((await fresh.submitLogin("demo-operator", DEMO.operator.password)).status).toBe(401);
    expect((await fresh.submitLogin("demo-operator", password)).location).toBe("/console/password");
    expect(await lastAudit("console_user.password_reset")).toMatchObject({ actorKind: "staff", actorId: "demo-admin" });
  });

  it("disables an account: its sessions end and it can no longer log in; an admin cannot disable themself", async () => {
    const staff = new ConsoleClient(server.baseUrl);
    await staff.login(DEMO.staffTrangDinh.username, DEMO.staffTrangDinh.password);
    const disabled = await admin.post("/console/admin/users/demo-staff-td/disable");
    expect(disabled.status).toBe(303);
    expect(disabled.location).toBe("/console/admin/users?notice=user_disabled");
    expect((await admin.get(disabled.location!)).text).toContain("Đã khóa tài khoản");
    expect((await staff.get("/console/people")).status).toBe(303);
    expect((await new ConsoleClient(server.baseUrl).submitLogin(DEMO.staffTrangDinh.username, DEMO.staffTrangDinh.password)).status).toBe(401);
    expect(JSON.parse((await lastAudit("console_user.disabled"))!.after!)).toEqual({ username: "demo-staff-td", disabled: true });
    expect((await admin.post("/console/admin/users/demo-admin/disable")).status).toBe(400);
    expect((await admin.post("/console/admin/users/nobody/disable")).status).toBe(404);
  });
});

describe("audit log page (admin)", () => {
  it("filters by actor, action, entity and dates, newest first, with before/after shown", async () => {
    const all = await admin.get("/console/admin/audit");
    expect(all.status).toBe(200);
    const byActor = await admin.get("/console/admin/audit?actor=demo-admin&action=console_user.");
    const actions = [...byActor.text.matchAll(/<td>(console_user\.[a-z_]+)/g)].map((m) => m[1]);
    expect(actions.slice(0, 3)).toEqual(["console_user.disabled", "console_user.password_reset", "console_user.created"]);
    expect(byActor.text).not.toContain("<td>console.login");
    expect(byActor.text).toContain("&quot;disabled&quot;: true"); // the after JSON, indented and escaped
    const entity = await admin.get("/console/admin/audit?entity=Commune");
    expect(entity.text).toContain("commune.updated");
    expect(entity.text).not.toContain("console_user.created");
    const today = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
    expect((await admin.get(`/console/admin/audit?from=${encodeURIComponent(today)}&to=${encodeURIComponent(today)}&actor=demo-admin`)).text).toContain("console_user.disabled");
    expect((await admin.get("/console/admin/audit?to=01/01/2020")).text).toContain("0 dòng");
    const bad = await admin.get("/console/admin/audit?from=31/02/2026");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("không phải là ngày");
  });

  it("pages through long results, keeping the filters", async () => {
    const insert = `INSERT INTO AuditLog (actorKind, actorId, action, entity, createdAt) VALUES ('system', 'pager-test', 'test.row', 'Test', ?)`;
    for (let i = 0; i < 120; i++) await sql().run(insert, [new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString().replace("Z", "+00:00")]);
    const first = await admin.get("/console/admin/audit?actor=pager-test");
    expect(first.text).toContain("120 dòng");
    expect(first.text).toContain("Trang 1/3");
    expect(first.text).toContain('href="/console/admin/audit?actor=pager-test&amp;page=2"');
    const third = await admin.get("/console/admin/audit?actor=pager-test&page=3");
    expect([...third.text.matchAll(/<td>test\.row/g)]).toHaveLength(20);
    expect(third.text).toContain("01/01/2026 07:00"); // the oldest row, in Vietnam time
  });
});
