import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { beneficiaryId, DEMO, signedIn } from "../helpers/consoleClient.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";

let server: TestServer;
// 10:00 in Vietnam, 2 December 2026: DEMO-0001's payment of 5 December is due its first reminder.
const now = new Date("2026-12-02T03:00:00Z");
beforeAll(async () => {
  server = await startTestServer({ clock: () => now });
});
afterAll(async () => {
  await server.close();
});

const voiceRows = () =>
  server.services.db.sql.all<{ kind: string; externalId: string }>("SELECT kind, externalId FROM OutboxMessage WHERE channel = 'voice' ORDER BY id");

describe("staff turn reminder calls on from the person page", () => {
  it("creates the voice identity of the beneficiary's phone, and reminders are then planned as calls", async () => {
    const id = await beneficiaryId(server.services.db.sql, "DEMO-0001");
    await server.services.planReminders(now);
    expect(await voiceRows()).toEqual([]);

    const staff = await signedIn(server.baseUrl, DEMO.staffBacSon);
    const page = await staff.get(`/console/people/${id}`);
    expect(page.text).toContain("Nhắc lịch bằng cuộc gọi điện");
    const turned = await staff.post(`/console/people/${id}/reminder-calls`, { on: "1" });
    expect(turned.status).toBe(303);
    const after = await staff.get(`/console/people/${id}`);
    expect(after.text).toContain("gọi điện nhắc lịch");
    expect(after.text).toContain("Thôi nhắc lịch bằng cuộc gọi điện");

    await server.services.planReminders(now);
    const rows = await voiceRows();
    expect(rows.map((r) => r.kind).sort()).toEqual(["reminder_before", "reminder_day"]);
    expect(rows[0].externalId).toBe("+84912345678");

    // Another commune's staff cannot.
    const other = await signedIn(server.baseUrl, DEMO.staffTrangDinh);
    await other.get("/console/");
    expect((await other.post(`/console/people/${id}/reminder-calls`, { on: "0" })).status).toBe(404);

    // Off again: the planned calls are cancelled.
    await staff.post(`/console/people/${id}/reminder-calls`, { on: "0" });
    await server.services.planReminders(now);
    const pending = await server.services.db.sql.all("SELECT id FROM OutboxMessage WHERE channel = 'voice' AND status = 'pending'");
    expect(pending).toEqual([]);
  });
});
