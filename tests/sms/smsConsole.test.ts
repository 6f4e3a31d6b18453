import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { beneficiaryId, DEMO, signedIn, sqlValue } from "../helpers/consoleClient.ts";
import { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { africasTalkingConfig } from "./smsTestKit.ts";

// Bắc Sơn (demo-staff): Nguyễn Văn An (DEMO-0001, phone on record) and Lương Văn Cường, guardian
// of DEMO-0002 and DEMO-0003: two SMS identities once SMS is on.
let server: TestServer;
let fake: FakeAfricasTalkingSms;
const NOW = new Date("2026-12-10T03:00:00Z");

beforeAll(async () => {
  fake = await FakeAfricasTalkingSms.start();
  server = await startTestServer({ clock: () => NOW, config: { sms: africasTalkingConfig(fake, { pricePerSegment: 850 }) } });
  await server.services.planReminders(); // creates the SMS identities
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

describe("SMS in the console", () => {
  it("shows whether a person is written to by SMS, and staff can override it (audited)", async () => {
    const sql = server.services.db.sql;
    const an = await beneficiaryId(sql, "DEMO-0001");
    const staff = await signedIn(server.baseUrl, DEMO.staffBacSon);
    const page = await staff.get(`/console/people/${an}`);
    expect(page.text).toContain("Tin nhắc và thông báo gửi cho người này bằng SMS.");
    expect(page.text).toContain('<option value="auto" selected>');

    const saved = await staff.post(`/console/people/${an}/sms`, { choice: "off" });
    expect(saved.status).toBe(303);
    expect(await sqlValue(sql, `SELECT smsChoice FROM ChannelIdentity WHERE channel = 'sms' AND beneficiaryId = ?`, [an])).toBe("off");
    expect((await staff.get(`/console/people/${an}`)).text).toContain("Hiện không gửi SMS cho người này.");
    expect(await sqlValue(sql, `SELECT COUNT(*) FROM AuditLog WHERE action = 'person.sms_choice' AND entityId = ?`, [String(an)])).toBe(1);

    expect((await staff.post(`/console/people/${an}/sms`, { choice: "sometimes" })).status).toBe(400);
    expect((await staff.post(`/console/people/${an}/sms`, { choice: "on" }, { csrf: "forged" })).status).toBe(403);
    const other = await beneficiaryId(sql, "DEMO-0004"); // Tràng Định: outside this staff member's communes
    expect((await staff.post(`/console/people/${other}/sms`, { choice: "on" })).status).toBe(404);
    await staff.post(`/console/people/${an}/sms`, { choice: "auto" });
  });

  it("previews a broadcast's SMS reach, parts and estimated cost", async () => {
    const staff = await signedIn(server.baseUrl, DEMO.staffBacSon);
    await staff.get("/console/broadcasts/new");
    const preview = await staff.post("/console/broadcasts/preview", { textVi: "Họp thôn lúc 7h30 sáng thứ Bảy tại nhà văn hóa.", textEn: "" });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('data-reach="sms">2<');
    expect(preview.text).toContain("Hop thon luc 7h30 sang thu Bay tai nha van hoa.");
    expect(preview.text).toContain('data-sms-segments="1" data-sms-cost="1700"');
  });
});
