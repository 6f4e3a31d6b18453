import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { beneficiaryId, communeId as communeOf, DEMO, signedIn } from "../helpers/consoleClient.ts";
import { formatDuration } from "../../src/http/console/duration.ts";
import { consoleText } from "../../src/http/console/consoleText.ts";
import { applyRetention } from "../../src/domain/privacy/applyRetention.ts";

// Demo data: November 2026 paid for everyone except DEMO-0004 (Tràng Định), whose payment failed.
// DEMO-0001..0003 live in Bắc Sơn, DEMO-0004..0006 in Tràng Định.
const NOW = new Date("2026-11-20T03:00:00Z");
let server: TestServer;
const sql = () => server.services.db.sql;
const communeId = (name: string) => communeOf(sql(), name);
const as = (account: { username: string; password: string }) => signedIn(server.baseUrl, account);
const main = (text: string) => text.slice(text.indexOf("<main"));
const tile = (text: string, label: string) => new RegExp(`<span class="figure">([^<]*)</span><span class="figure-label">${label}</span>`).exec(text)?.[1];

beforeAll(async () => {
  server = await startTestServer({ clock: () => NOW });
  const escalate = async (code: string, status: string, at: string) =>
    sql().run(
      `INSERT INTO Escalation (channel, externalId, beneficiaryId, topic, transcript, status, createdAt, updatedAt) VALUES ('telegram', 'x', ?, 'human', '[]', ?, ?, ?)`,
      [await beneficiaryId(sql(), code), status, at, at],
    );
  await escalate("DEMO-0001", "open", "2026-11-18T01:00:00.000+00:00");
  await escalate("DEMO-0002", "claimed", "2026-11-20T02:30:00.000+00:00");
  await escalate("DEMO-0004", "open", "2026-11-10T03:00:00.000+00:00");
});
afterAll(async () => {
  await server.close();
});

describe("the dashboard", () => {
  it("shows this month in Vietnam by default, for the staff member's communes only, as charts and tables; audited", async () => {
    const staff = await as(DEMO.staffBacSon);
    const page = await staff.get("/console/dashboard");
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="period" type="month" value="2026-11"');
    expect(page.text).toContain("Tháng 11/2026 · Các xã của tôi");
    expect(tile(page.text, "khoản đã chi trả")).toBe("3/3");
    expect(page.text).toContain("3.250.000 đ");
    expect(tile(page.text, "yêu cầu gặp cán bộ đang mở")).toBe("2");
    expect(page.text).toContain("1 chưa ai nhận");
    expect(page.text).toContain("<dt>Chờ lâu nhất</dt><dd>2 ngày 2 giờ</dd>");
    expect(page.text).toMatch(/<svg viewBox="0 0 \d+ \d+"[^>]*aria-hidden="true"/);
    expect(page.text).toMatch(/<th scope="row">Không thành công<\/th><td class="num">0<\/td>/);
    // The commune selector offers their own commune only.
    expect(page.text).toContain(`<option value="${await communeId("Bắc Sơn")}">Bắc Sơn</option>`);
    expect(page.text).not.toContain("Tràng Định");
    const viewed = await sql().get(`SELECT actorId, after FROM AuditLog WHERE action = 'dashboard.viewed' ORDER BY id DESC LIMIT 1`);
    expect(viewed).toEqual({ actorId: "demo-staff", after: JSON.stringify({ period: "2026-11", communeId: null }) });
    expect((await staff.get("/console/dashboard?period=2026-12")).text).toContain("Tháng 12/2026");
  });

  it("refuses another commune by crafted URL (404, like a commune that does not exist) and a bad period or commune (400)", async () => {
    const staff = await as(DEMO.staffBacSon);
    const other = await staff.get(`/console/dashboard?commune=${await communeId("Tràng Định")}`);
    const missing = await staff.get("/console/dashboard?commune=99999");
    expect(other.status).toBe(404);
    expect(main(other.text)).toBe(main(missing.text));
    expect(other.text).not.toContain("Tràng Định");
    for (const query of ["period=2026-13", "period=next%20month", "commune=abc"]) expect((await staff.get(`/console/dashboard?${query}`)).status, query).toBe(400);
    expect((await staff.get("/console/dashboard?period=2026-13")).text).toContain("“2026-13” không phải là một tháng");
  });

  it("lets an admin or operator see every commune, or one", async () => {
    const admin = await as(DEMO.admin);
    const all = await admin.get("/console/dashboard?period=2026-11");
    expect(all.text).toContain("Tất cả các xã");
    expect(tile(all.text, "khoản đã chi trả")).toBe("5/6");
    expect(tile(all.text, "yêu cầu gặp cán bộ đang mở")).toBe("3");
    const one = await admin.get(`/console/dashboard?period=2026-11&commune=${await communeId("Tràng Định")}`);
    expect(one.text).toContain("Tháng 11/2026 · Tràng Định");
    expect(tile(one.text, "khoản đã chi trả")).toBe("2/3");
    const operator = await as(DEMO.operator);
    expect((await operator.get(`/console/dashboard?commune=${await communeId("Tràng Định")}`)).status).toBe(200);
  });

  it("counts a month's messages exchanged, and after the retention job deleted them the province's figure stays; a commune's page says why its own cannot", async () => {
    const an = await beneficiaryId(sql(), "DEMO-0001"); // Bắc Sơn
    await sql().run(`INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, createdAt, updatedAt) VALUES ('telegram', 'dash-t1', ?, ?, ?)`, [an, "2025-09-01T00:00:00.000+00:00", "2025-09-01T00:00:00.000+00:00"]);
    const line = (channel: string, externalId: string, at: string) =>
      sql().run(`INSERT INTO MessageLog (channel, externalId, direction, text, createdAt) VALUES (?, ?, 'in', 'menu', ?)`, [channel, externalId, at]);
    for (const at of ["2025-10-02T01:00:00.000+00:00", "2025-10-02T01:00:01.000+00:00", "2025-09-30T17:30:00.000+00:00"]) await line("telegram", "dash-t1", at);
    await line("ussd", "+84900000099", "2025-10-05T01:00:00.000+00:00"); // nobody identified
    await line("zalo", "dash-z9", "2025-10-31T16:00:00.000+00:00");
    const admin = await as(DEMO.admin);
    const staff = await as(DEMO.staffBacSon);
    const october = "/console/dashboard?period=2025-10";
    expect(tile((await admin.get(october)).text, "tin nhắn trao đổi")).toBe("5");
    const staffBefore = await staff.get(october);
    expect(tile(staffBefore.text, "tin nhắn trao đổi")).toBe("3");
    expect(staffBefore.text).toMatch(/<th scope="row">Telegram<\/th><td class="num">3<\/td>/);
    expect(staffBefore.text).not.toContain("đã bị xóa");

    await applyRetention(sql(), { now: NOW, days: server.services.config.retentionDays });
    const province = await admin.get(october);
    expect(tile(province.text, "tin nhắn trao đổi")).toBe("5");
    expect(province.text).toContain("Gồm 5 tin đã xóa vì cũ hơn 365 ngày");
    const commune = await staff.get(october);
    expect(tile(commune.text, "tin nhắn trao đổi")).toBe("0");
    expect(commune.text).toContain("AnSinh chỉ giữ số lượng cho cả tỉnh, không theo xã: con số ở đây chỉ gồm tin còn lưu");
    // A month nothing was deleted from says nothing of it.
    expect((await staff.get("/console/dashboard?period=2026-11")).text).not.toContain("đã bị xóa");
  });

  it("is linked from the home page of every role", async () => {
    for (const account of [DEMO.staffBacSon, DEMO.operator, DEMO.admin]) {
      const home = await (await as(account)).get("/console/");
      expect(home.text).toContain('<a class="button" href="/console/dashboard">Xem tổng quan tháng này</a>');
    }
  });
});

describe("waiting times", () => {
  it("read in the two largest units, in each language", () => {
    const vi = consoleText().forLocale("vi");
    const en = consoleText().forLocale("en");
    expect(formatDuration(20_000, vi)).toBe("dưới 1 phút");
    expect(formatDuration(60_000, en)).toBe("1 minute");
    expect(formatDuration(45 * 60_000, vi)).toBe("45 phút");
    expect(formatDuration(3 * 3600_000, en)).toBe("3 hours");
    expect(formatDuration(3 * 3600_000 + 5 * 60_000, vi)).toBe("3 giờ 5 phút");
    expect(formatDuration(50 * 3600_000 + 59 * 60_000, en)).toBe("2 days 2 hours");
    expect(formatDuration(24 * 3600_000, en)).toBe("1 day");
  });
});
