import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { queuePaymentResultNotices } from "../../src/domain/outbox/queueResultNotices.ts";
import { countSmsSegments } from "../../src/shared/smsSegments.ts";
import { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import { FakeEsmsServer } from "../helpers/fakeEsmsServer.ts";
import type { TestServer } from "../helpers/testServer.ts";
import { startSmsTest, type SmsTest } from "./smsTestKit.ts";

// The demo data's phones on record: Nguyễn Văn An (DEMO) +84912345678 (cash, pay date 05/12/2026),
// Lương Văn Cường (DEMO) +84987654321 (guardian of two), Vi Thị Hoa (DEMO) +84978111222.
const AN = "+84912345678";
const CUONG = "+84987654321";
let now = new Date("2026-11-29T03:00:00Z"); // 10:00 in Vietnam

type Row = { id: number; channel: string; externalId: string; kind: string; status: string; providerId: string | null; attempts: number; dueAt: string };
const rowsOf = (server: TestServer, where = "1 = 1") =>
  server.services.db.sql.all<Row>(`SELECT id, channel, externalId, kind, status, providerId, attempts, dueAt FROM OutboxMessage WHERE channel = 'sms' AND ${where} ORDER BY id`);

describe("SMS through the outbox (Africa's Talking)", () => {
  let test: SmsTest<FakeAfricasTalkingSms>;
  beforeAll(async () => {
    test = await startSmsTest(FakeAfricasTalkingSms, { clock: () => now, config: { outbox: { quietHours: "21:00-07:00", workers: 2, leaseSeconds: 60, maxAttempts: 8, pollMs: 1000 } } });
  });
  afterAll(async () => {
    await test?.close();
  });

  it("plans SMS reminders for the people with a phone on record and sends them as one unaccented part, keeping the provider's id", async () => {
    await test.server.services.planReminders();
    const planned = await rowsOf(test.server, "kind = 'reminder_before'");
    expect(new Set(planned.map((r) => r.externalId))).toContain(AN);
    expect(planned.filter((r) => r.externalId === CUONG)).toHaveLength(2); // one per person he is guardian of

    now = new Date("2026-12-02T14:30:00Z"); // 21:30 in Vietnam: quiet hours
    expect((await test.server.services.outbox.drain()).sent).toBe(0);
    expect(test.fake.calls).toHaveLength(0);

    now = new Date("2026-12-02T01:00:00Z"); // 08:00 in Vietnam
    const counts = await test.server.services.outbox.drain();
    expect(counts.sent).toBe(planned.filter((r) => r.dueAt <= sqlTimestamp(now)).length);
    expect(counts.sent).toBe(3); // An, and Cường for each of the two (Hoa's pay date is a day later)
    const toAn = test.fake.accepted.filter((c) => c.body.to === AN);
    expect(toAn).toHaveLength(1);
    expect(toAn[0].body.message).toBe("AnSinh nhac: ngay 05/12/2026 Nguyen Van An (DEMO) nhan 1.000.000 d. Tai Nha van hoa thon Ban Chu, mang CCCD. Soan TAT NHAC de tat nhac.");
    for (const call of test.fake.accepted) expect(countSmsSegments(call.body.message)).toMatchObject({ encoding: "gsm7", segments: 1 });
    const [row] = await rowsOf(test.server, `externalId = '${AN}' AND kind = 'reminder_before'`);
    expect(row).toMatchObject({ status: "sent", providerId: test.fake.messageIdOf(toAn[0]) });
  });

  it("sends nothing by SMS to a person who has Telegram or Zalo, unless staff chose SMS for them", async () => {
    const sql = test.server.services.db.sql;
    const at = sqlTimestamp(now);
    const an = (await sql.get<{ id: number }>(`SELECT id FROM Beneficiary WHERE phone = ?`, [AN]))!.id;
    await sql.run(`INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, createdAt, updatedAt) VALUES ('telegram', '7001', ?, 'phone', ?, ?)`, [an, at, at]);
    await test.server.services.planReminders();
    expect(await rowsOf(test.server, `externalId = '${AN}' AND kind = 'reminder_day'`)).toMatchObject([{ status: "cancelled" }]);
    const payment = (await sql.get<{ id: number }>(`SELECT id FROM Payment WHERE beneficiaryId = ? AND status = 'paid'`, [an]))!.id;
    await queuePaymentResultNotices(sql, [payment], now);
    expect(await rowsOf(test.server, `externalId = '${AN}' AND kind = 'payment_paid'`)).toEqual([]);

    await sql.run(`UPDATE ChannelIdentity SET smsChoice = 'on' WHERE channel = 'sms' AND externalId = ?`, [AN]);
    await test.server.services.planReminders();
    expect(await rowsOf(test.server, `externalId = '${AN}' AND kind = 'reminder_day'`)).toMatchObject([{ status: "pending" }]);
    await sql.run(`UPDATE ChannelIdentity SET smsChoice = 'off' WHERE channel = 'sms' AND externalId = ?`, [AN]);
    await test.server.services.planReminders();
    expect(await rowsOf(test.server, `externalId = '${AN}' AND kind = 'reminder_day'`)).toMatchObject([{ status: "cancelled" }]);
  });

  it("tries again after a 5xx or a timeout-like failure, and gives up on a refused number", async () => {
    const sql = test.server.services.db.sql;
    const at = sqlTimestamp(now);
    const queue = (key: string, phone: string) =>
      sql.run(`INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt)
               VALUES (?, 'sms', ?, (SELECT id FROM ChannelIdentity WHERE channel = 'sms' AND externalId = ?), 'notice', 'Thông báo: họp thôn', ?, 'pending', ?, ?)`, [key, phone, phone, at, at, at]);
    await queue("notice:test:retry", CUONG);
    test.fake.fail({ kind: "http", status: 503 }, 2); // the first try and the sender's one retry
    expect(await test.server.services.outbox.drain()).toMatchObject({ sent: 0, retried: 1 });
    const [waiting] = await rowsOf(test.server, `kind = 'notice'`);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    now = new Date(now.getTime() + 3 * 60_000);
    expect(await test.server.services.outbox.drain()).toMatchObject({ sent: 1 });
    expect(test.fake.accepted.at(-1)!.body).toMatchObject({ to: CUONG, message: "Thong bao: hop thon" });

    await queue("notice:test:refused", "+84978111222");
    test.fake.refuse(403, "InvalidPhoneNumber");
    expect(await test.server.services.outbox.drain()).toMatchObject({ failed: 1 });
  });
});

describe("SMS through the outbox (eSMS)", () => {
  let test: SmsTest<FakeEsmsServer>;
  beforeAll(async () => {
    now = new Date("2026-11-29T03:00:00Z");
    test = await startSmsTest(FakeEsmsServer, { clock: () => now });
  });
  afterAll(async () => {
    await test?.close();
  });

  it("sends with our message id as RequestId; a resend after a crash (124) counts as sent, not delivered twice", async () => {
    await test.server.services.planReminders();
    now = new Date("2026-12-02T01:00:00Z");
    const sql = test.server.services.db.sql;
    const sent = (await test.server.services.outbox.drain()).sent;
    expect(sent).toBeGreaterThan(0);
    const [row] = await rowsOf(test.server, `externalId = '${AN}' AND kind = 'reminder_before'`);
    const call = test.fake.accepted.find((c) => c.body.Phone === "0912345678")!;
    expect(call.body.RequestId).toBe(String(row.id));
    expect(row.providerId).toBe(test.fake.smsIdOf(call));

    // As after a crash between the provider taking it and the database recording it.
    await sql.run(`UPDATE OutboxMessage SET status = 'pending', ambiguous = TRUE WHERE id = ?`, [row.id]);
    expect((await test.server.services.outbox.drain()).sent).toBe(1);
    expect(test.fake.accepted.filter((c) => c.body.Phone === "0912345678")).toHaveLength(1);
    expect(test.fake.calls.at(-1)!.body.RequestId).toBe(String(row.id));
    expect((await rowsOf(test.server, `id = ${row.id}`))[0]).toMatchObject({ status: "sent", providerId: row.providerId });
  });
});
