import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queuePaymentResultNotices } from "../../src/domain/outbox/queueResultNotices.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { TelegramTest, textOf, WEBHOOK_SECRET } from "../channels/telegram/telegramTestKit.ts";

// Nguyễn Văn An (DEMO) is paid in cash on 05/12/2026 (period 12/2026). He uses Telegram and USSD.
// The clock is the test's: reminders, quiet hours and time zones are checked without sleeping.
let now = new Date("2026-11-29T03:00:00Z"); // 10:00 in Vietnam
let server: TestServer;
let fake: FakeTelegramServer;
let telegram: TelegramTest;
const an = 7001;

const sql = () => server.services.db.sql;
const rows = () =>
  sql().all<{ channel: string; kind: string; dueAt: string; status: string }>(
    `SELECT channel, kind, dueAt, status, ambiguous FROM OutboxMessage WHERE kind LIKE 'reminder%' ORDER BY channel, kind`,
  );
const movePayDate = (payDate: string) =>
  sql().run(`UPDATE Payment SET payDate = ? WHERE beneficiaryId = (SELECT id FROM Beneficiary WHERE code = 'DEMO-0001') AND periodId = (SELECT id FROM PaymentPeriod WHERE period = '2026-12')`, [payDate]);
const sentToAn = () => fake.delivered(an).map(textOf);

beforeAll(async () => {
  fake = await FakeTelegramServer.start();
  server = await startTestServer({
    clock: () => now,
    config: { telegram: { token: fake.token, apiRoot: fake.apiRoot, webhookSecret: WEBHOOK_SECRET, limits: { perSecond: 200, perChatPerSecond: 100, maxRetries: 1, backoffMs: 5 } } },
  });
  telegram = new TelegramTest(server, fake, server.services.chatChannels[0]);
  const user = telegram.user(an);
  await user.say("/start");
  await user.shareContact("+84912345678");
  await new UssdCaller(server.baseUrl, "+84912345678").dial();
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

describe("payment-day reminders", () => {
  it("plans one reminder 3 days before and one on the morning of the pay date, at 07:30 Vietnam time, per channel", async () => {
    await server.services.planReminders();
    expect(await rows()).toEqual([
      { channel: "telegram", kind: "reminder_before", dueAt: "2026-12-02T00:30:00.000+00:00", status: "pending", ambiguous: 0 },
      { channel: "telegram", kind: "reminder_day", dueAt: "2026-12-05T00:30:00.000+00:00", status: "pending", ambiguous: 0 },
      { channel: "ussd", kind: "reminder_before", dueAt: "2026-12-02T00:30:00.000+00:00", status: "pending", ambiguous: 0 },
      { channel: "ussd", kind: "reminder_day", dueAt: "2026-12-05T00:30:00.000+00:00", status: "pending", ambiguous: 0 },
    ]);
    // Planning again queues nothing twice.
    expect((await server.services.planReminders()).planned).toBe(0);
    expect(await rows()).toHaveLength(4);
  });

  it("moves pending reminders with the pay date; one whose time has passed goes out now, once", async () => {
    await movePayDate("2026-12-01");
    await server.services.planReminders();
    const [before, day] = await rows();
    expect(before).toMatchObject({ kind: "reminder_before", dueAt: "2026-11-29T03:00:00.000+00:00" });
    expect(day).toMatchObject({ kind: "reminder_day", dueAt: "2026-12-01T00:30:00.000+00:00" });

    const counts = await server.services.outbox.drain();
    expect(counts.sent).toBe(1);
    const [reminder] = sentToAn().slice(-1);
    expect(reminder).toContain("Nhắc lịch: ngày 01/12/2026, Nguyễn Văn An (DEMO) nhận 1.000.000 đ trợ cấp kỳ 12/2026.");
    expect(reminder).toContain("Nhà văn hóa thôn Bản Chu");
    expect(reminder).toContain("TẮT NHẮC");

    // Moved again: the sent reminder is not sent again; the pay-day one follows the date.
    await movePayDate("2026-12-03");
    await server.services.planReminders();
    expect((await rows())[0]).toMatchObject({ status: "sent" });
    expect((await rows())[1]).toMatchObject({ dueAt: "2026-12-03T00:30:00.000+00:00", status: "pending" });
    expect((await server.services.outbox.drain()).sent).toBe(0);
  });

  it("sends nothing in quiet hours (21:00 to 07:00 Vietnam time) but operator replies, and sends what waited afterwards", async () => {
    now = new Date("2026-12-02T14:30:00Z"); // 21:30 in Vietnam
    await sql().run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt)
        SELECT 'notice:quiet', channel, externalId, id, 'notice', 'Thông báo của xã', ?, 'pending', ?, ? FROM ChannelIdentity WHERE channel = 'telegram' AND externalId = ?`,
      ["2026-12-02T14:30:00.000+00:00", "2026-12-02T14:30:00.000+00:00", "2026-12-02T14:30:00.000+00:00", String(an)],
    );
    expect((await server.services.outbox.drain()).sent).toBe(0);
    // An operator's reply answers what the person just asked: it goes at any hour.
    await sql().run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt)
        SELECT 'operator_reply:quiet', channel, externalId, id, 'operator_reply', 'Sáng mai xã trả lời anh', ?, 'pending', ?, ? FROM ChannelIdentity WHERE channel = 'telegram' AND externalId = ?`,
      ["2026-12-02T14:30:00.000+00:00", "2026-12-02T14:30:00.000+00:00", "2026-12-02T14:30:00.000+00:00", String(an)],
    );
    expect((await server.services.outbox.drain()).sent).toBe(1);
    expect(sentToAn().at(-1)).toContain("Sáng mai xã trả lời anh");
    now = new Date("2026-12-02T23:45:00Z"); // 06:45 on 3 December: still quiet
    expect((await server.services.outbox.drain()).sent).toBe(0);
    now = new Date("2026-12-03T00:10:00Z"); // 07:10: the notice that waited goes; the pay-day reminder is due at 07:30
    expect((await server.services.outbox.drain()).sent).toBe(1);
    expect(sentToAn().at(-1)).toBe("Thông báo của xã");
    now = new Date("2026-12-03T00:31:00Z"); // 07:31
    expect((await server.services.outbox.drain()).sent).toBe(1);
    expect(sentToAn().at(-1)).toContain("Hôm nay 03/12/2026, Nguyễn Văn An (DEMO) nhận 1.000.000 đ");
  });

  it("never sends a reminder after its day (the service was down, say): it is cancelled instead", async () => {
    // The guardian of two (0987654321) joins on Telegram; their people are paid on 05/12/2026.
    const guardian = telegram.user(7010);
    await guardian.say("/start");
    await guardian.shareContact("+84987654321");
    now = new Date("2026-12-03T23:00:00Z");
    await server.services.planReminders();
    const guardianRows = () => sql().all<{ kind: string; status: string }>(`SELECT kind, status FROM OutboxMessage WHERE externalId = '7010' ORDER BY kind, paymentId`);
    expect(await guardianRows()).toEqual([
      { kind: "reminder_before", status: "pending" },
      { kind: "reminder_before", status: "pending" },
      { kind: "reminder_day", status: "pending" },
      { kind: "reminder_day", status: "pending" },
    ]);
    const before = fake.delivered(7010).length;
    now = new Date("2026-12-06T02:00:00Z"); // the day after the pay date
    expect((await server.services.outbox.drain()).skipped).toBe(4);
    expect(fake.delivered(7010).length).toBe(before);
    expect((await guardianRows()).map((r) => r.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
  });

  it("shows USSD-only messages at the start of the next dial, once", async () => {
    now = new Date("2026-12-05T03:00:00Z");
    await movePayDate("2026-12-07");
    await server.services.planReminders();
    const phone = new UssdCaller(server.baseUrl, "+84912345678");
    const first = await phone.dial();
    expect(first.screen).toContain("Tin nhan moi:");
    expect(first.screen + (first.screen.includes("99. Xem them") ? (await phone.press("99")).screen : "")).toContain("07/12/2026");
    const ussdRows = await sql().all(`SELECT status FROM OutboxMessage WHERE channel = 'ussd' AND status = 'delivered'`);
    expect(ussdRows.length).toBeGreaterThanOrEqual(1);
    const second = await new UssdCaller(server.baseUrl, "+84912345678").dial();
    expect(second.screen).not.toContain("Tin nhan moi:");
  });

  it("stops reminders when the person replies TẮT NHẮC, and cancels the pending ones", async () => {
    await telegram.user(an).say("tắt nhắc");
    expect(sentToAn().at(-1)).toContain("Đã tắt nhắc lịch");
    await server.services.planReminders();
    const pendingForAn = await sql().all(`SELECT kind FROM OutboxMessage WHERE channel = 'telegram' AND externalId = ? AND status = 'pending'`, [String(an)]);
    expect(pendingForAn).toEqual([]);
    expect(await sql().get(`SELECT remindersOn FROM ChannelIdentity WHERE channel = 'telegram' AND externalId = ?`, [String(an)])).toEqual({ remindersOn: 0 });
    // Next month's payment: reminders for his USSD identity (still on), none on Telegram.
    const at = "2026-12-05T03:00:00.000+00:00";
    await sql().run(`INSERT INTO PaymentPeriod (period, importedAt) VALUES ('2027-01', ?)`, [at]);
    await sql().run(
      `INSERT INTO Payment (beneficiaryId, periodId, amount, backPay, method, payDate, status, createdAt, updatedAt)
        SELECT b.id, pp.id, 750000, 0, 'cash', '2027-01-05', 'scheduled', ?, ? FROM Beneficiary b, PaymentPeriod pp WHERE b.code = 'DEMO-0001' AND pp.period = '2027-01'`,
      [at, at],
    );
    await server.services.planReminders();
    const january = await sql().all(`SELECT o.channel FROM OutboxMessage o JOIN Payment p ON p.id = o.paymentId WHERE p.payDate = '2027-01-05' ORDER BY o.channel`);
    expect(january).toEqual([{ channel: "ussd" }, { channel: "ussd" }]);
  });
});

describe("payment results and unreachable people", () => {
  it("tells the person a payment was paid, in their language, masked", async () => {
    now = new Date("2026-12-07T03:00:00Z");
    const payment = (await sql().get<{ id: number }>(
      `SELECT p.id FROM Payment p JOIN Beneficiary b ON b.id = p.beneficiaryId JOIN PaymentPeriod pp ON pp.id = p.periodId WHERE b.code = 'DEMO-0001' AND pp.period = '2026-12'`,
    ))!;
    await sql().run(`UPDATE Payment SET status = 'paid', paidAt = ? WHERE id = ?`, ["2026-12-07T02:00:00.000+00:00", payment.id]);
    expect(await queuePaymentResultNotices(sql(), [payment.id], now)).toBe(2); // telegram + ussd
    expect(await queuePaymentResultNotices(sql(), [payment.id], now)).toBe(0);
    await server.services.outbox.drain();
    expect(sentToAn().at(-1)).toContain("Trợ cấp kỳ 12/2026 của Nguyễn Văn An (DEMO) (1.000.000 đ) đã chi trả ngày 07/12/2026.");
  });

  it("marks a person who blocked the bot unreachable and goes on with the others", async () => {
    const blocked = telegram.user(7002);
    await blocked.identifyByCitizenId("020190003333", "04/04/1990");
    const other = telegram.user(7003);
    await other.identifyByCitizenId("020050001234", "05/03/1950");
    fake.fail("sendMessage", { kind: "blocked" }, { chatId: 7002 });
    const before = fake.delivered(7003).length;
    await sql().run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt)
      SELECT 'notice:test:' || id, channel, externalId, id, 'notice', 'Thông báo thử', ?, 'pending', ?, ? FROM ChannelIdentity WHERE channel = 'telegram' AND externalId IN ('7002', '7003')`,
      ["2026-12-07T03:00:00.000+00:00", "2026-12-07T03:00:00.000+00:00", "2026-12-07T03:00:00.000+00:00"],
    );
    const counts = await server.services.outbox.drain();
    expect(counts).toMatchObject({ sent: 1, failed: 1 });
    expect(fake.delivered(7003).length).toBe(before + 1);
    const identity = await sql().get(`SELECT unreachable FROM ChannelIdentity WHERE channel = 'telegram' AND externalId = '7002'`);
    expect(identity).toEqual({ unreachable: 1 });
  });
});
