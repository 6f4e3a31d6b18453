import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardFigures } from "../../src/domain/dashboard/dashboardFigures.ts";
import { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import { FakeEsmsServer } from "../helpers/fakeEsmsServer.ts";
import { UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { CALLBACK_SECRET, startSmsTest, type SmsTest } from "./smsTestKit.ts";

const AN = "+84912345678";
let now = new Date("2026-11-29T03:00:00Z");

type Row = { id: number; kind: string; status: string; providerId: string | null; deliveryStatus: string | null; deliveryError: string | null; deliveryRetries: number };
const anReminder = (server: TestServer) =>
  server.services.db.sql.get<Row>(
    `SELECT id, kind, status, providerId, deliveryStatus, deliveryError, deliveryRetries FROM OutboxMessage WHERE channel = 'sms' AND externalId = ? AND kind = 'reminder_before'`,
    [AN],
  );
const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });

/** A test server whose demo reminders went out through a fake provider at 08:00 on 2 December, ready to be reported on. */
async function remindersSentThrough<Fake extends FakeAfricasTalkingSms | FakeEsmsServer>(provider: { start(): Promise<Fake> }): Promise<SmsTest<Fake>> {
  now = new Date("2026-11-29T03:00:00Z");
  const test = await startSmsTest(provider, { clock: () => now });
  await test.server.services.planReminders();
  now = new Date("2026-12-02T01:00:00Z");
  await test.server.services.outbox.drain();
  return test;
}

describe("Africa's Talking delivery reports", () => {
  let test: SmsTest<FakeAfricasTalkingSms>;
  const report = (fields: Record<string, string>, secret = CALLBACK_SECRET) => postForm(`${test.server.baseUrl}/sms/africastalking/delivery/${secret}`, fields);
  beforeAll(async () => {
    test = await remindersSentThrough(FakeAfricasTalkingSms);
  });
  afterAll(async () => {
    await test?.close();
  });

  it("refuses forged and malformed calls, and reports about no message of ours, changing nothing", async () => {
    const row = (await anReminder(test.server))!;
    expect((await report({ id: row.providerId!, status: "Failed", phoneNumber: AN }, "wrong-secret-wrong-secret")).status).toBe(403);
    expect((await postForm(`${test.server.baseUrl}/sms/africastalking/delivery`, { id: row.providerId!, status: "Failed" })).status).toBe(403);
    expect((await report({ id: row.providerId!, status: "Exploded" })).status).toBe(400);
    expect((await report({ id: "ATXid_unknown", status: "Failed", phoneNumber: AN })).status).toBe(400);
    expect((await fetch(`${test.server.baseUrl}/sms/africastalking/delivery/${CALLBACK_SECRET}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" })).status).toBe(400);
    expect(await anReminder(test.server)).toMatchObject({ status: "sent", deliveryStatus: null });
  });

  it("records sent and delivered; a late 'Sent' does not undo 'delivered'", async () => {
    const row = (await anReminder(test.server))!;
    expect((await report({ id: row.providerId!, status: "Buffered", phoneNumber: AN })).status).toBe(200);
    expect(await anReminder(test.server)).toMatchObject({ deliveryStatus: "sent" });
    expect((await report({ id: row.providerId!, status: "Success", phoneNumber: AN })).status).toBe(200);
    expect((await report({ id: row.providerId!, status: "Sent", phoneNumber: AN })).status).toBe(200);
    expect(await anReminder(test.server)).toMatchObject({ status: "sent", deliveryStatus: "delivered" });
    const figures = await dashboardFigures(test.server.services.db.sql, { period: "2026-12", scope: { communeIds: "all" }, now });
    expect(figures.ok && figures.figures.sms).toMatchObject({ delivered: 1, failed: 0 });
    expect(figures.ok && figures.figures.sms.sent).toBeGreaterThanOrEqual(1);
  });

  it("sends a failed reminder once more; failing again, marks the person unreachable by SMS and tells them at their next dial", async () => {
    const sql = test.server.services.db.sql;
    // Cường's reminders: guardian of two; take one of them.
    const row = (await sql.get<Row>(`SELECT id, providerId FROM OutboxMessage WHERE channel = 'sms' AND externalId = '+84987654321' AND kind = 'reminder_before' ORDER BY id LIMIT 1`))!;
    expect((await report({ id: row.providerId!, status: "Failed", phoneNumber: "+84987654321", failureReason: "AbsentSubscriber" })).status).toBe(200);
    const resent = (await sql.get<Row>(`SELECT status, deliveryRetries, providerId, lastError FROM OutboxMessage WHERE id = ?`, [row.id]))!;
    expect(resent).toMatchObject({ status: "pending", deliveryRetries: 1, providerId: null, lastError: "delivery failed: Failed: AbsentSubscriber" });

    const before = test.fake.accepted.length;
    expect((await test.server.services.outbox.drain()).sent).toBe(1);
    expect(test.fake.accepted.length).toBe(before + 1);
    const second = (await sql.get<Row>(`SELECT providerId FROM OutboxMessage WHERE id = ?`, [row.id]))!;
    expect(second.providerId).not.toBe(row.providerId);
    expect((await report({ id: second.providerId!, status: "Rejected", phoneNumber: "+84987654321", failureReason: "DeliveryFailure" })).status).toBe(200);
    expect(await sql.get(`SELECT status, deliveryStatus, deliveryError FROM OutboxMessage WHERE id = ?`, [row.id])).toEqual({ status: "failed", deliveryStatus: "failed", deliveryError: "Rejected: DeliveryFailure" });
    expect(await sql.get(`SELECT unreachable FROM ChannelIdentity WHERE channel = 'sms' AND externalId = '+84987654321'`)).toEqual({ unreachable: 1 });

    const dial = await new UssdCaller(test.server.baseUrl, "+84987654321").dial();
    expect(dial.screen).toContain("Tin nhan SMS cua AnSinh khong den duoc so nay");
    const figures = await dashboardFigures(sql, { period: "2026-12", scope: { communeIds: "all" }, now });
    expect(figures.ok && figures.figures.sms.failed).toBe(1);
  });
});

describe("eSMS delivery reports", () => {
  let test: SmsTest<FakeEsmsServer>;
  beforeAll(async () => {
    test = await remindersSentThrough(FakeEsmsServer);
  });
  afterAll(async () => {
    await test?.close();
  });

  it("maps SendStatus 5 to delivered, found by SMSID or by our RequestId; refuses a forged one", async () => {
    const row = (await anReminder(test.server))!;
    const url = (query: Record<string, string>, secret = CALLBACK_SECRET) => `${test.server.baseUrl}/sms/esms/delivery/${secret}?${new URLSearchParams(query)}`;
    expect((await fetch(url({ SMSID: row.providerId!, SendStatus: "5", RequestId: String(row.id), phonenumber: "0912345678" }, "forged-forged-forged"))).status).toBe(403);
    expect((await fetch(url({ SMSID: "esms-999", SendStatus: "5", RequestId: "999999", phonenumber: "0912345678" }))).status).toBe(400);
    expect((await fetch(url({ SMSID: "", SendStatus: "5", RequestId: String(row.id), phonenumber: "0912345678" }))).status).toBe(200);
    expect(await anReminder(test.server)).toMatchObject({ deliveryStatus: "delivered" });
  });

  it("maps SendStatus 4 to failed with the reason (a reminder: queued again, the failure kept)", async () => {
    const row = (await test.server.services.db.sql.get<Row>(`SELECT id, providerId FROM OutboxMessage WHERE channel = 'sms' AND externalId = '+84987654321' ORDER BY id LIMIT 1`))!;
    const response = await fetch(`${test.server.baseUrl}/sms/esms/delivery/${CALLBACK_SECRET}?${new URLSearchParams({ SMSID: row.providerId!, SendStatus: "4", RequestId: String(row.id), phonenumber: "0987654321" })}`);
    expect(response.status).toBe(200);
    expect(await test.server.services.db.sql.get(`SELECT deliveryStatus, deliveryError, deliveryRetries, status FROM OutboxMessage WHERE id = ?`, [row.id])).toEqual({
      deliveryStatus: null,
      deliveryError: "SendStatus 4: refused",
      deliveryRetries: 1,
      status: "pending",
    });
  });
});
