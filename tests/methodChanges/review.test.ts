import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideMethodChangeAndNotify, pendingMethodChanges, revealAccount } from "../../src/domain/methodChanges/reviewMethodChanges.ts";
import { findMethodChange } from "../../src/domain/methodChanges/listMethodChanges.ts";
import { createRequest, statusOf } from "../exports/methodChangeFixture.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { TelegramTest, textOf, WEBHOOK_SECRET } from "../channels/telegram/telegramTestKit.ts";

// Demo data: Nguyễn Văn An (DEMO-0001, Bắc Sơn) uses Telegram in English; Lương Văn Cường (DEMO),
// guardian of DEMO-0002 and DEMO-0003 (Bắc Sơn), uses Telegram; Vi Thị Hoa (DEMO-0004, Tràng Định)
// only dials USSD. Staff "lan" works for Bắc Sơn only.
const NOW = new Date("2026-12-10T03:00:00Z");
let server: TestServer;
let fake: FakeTelegramServer;
let bacSon: { communeIds: number[] };
let requests: Record<string, number>;
const an = 7101;
const cuong = 7110;
const sql = () => server.services.db.sql;
const secret = () => server.services.secret;
const audits = (action: string) =>
  sql().all<{ actorKind: string; actorId: string; entityId: string; after: string }>(`SELECT actorKind, actorId, entityId, after FROM AuditLog WHERE action = ? ORDER BY id`, [action]);

beforeAll(async () => {
  fake = await FakeTelegramServer.start();
  server = await startTestServer({
    clock: () => NOW,
    config: {
      telegram: { token: fake.token, apiRoot: fake.apiRoot, webhookSecret: WEBHOOK_SECRET, limits: { perSecond: 200, perChatPerSecond: 100, maxRetries: 1, backoffMs: 5 } },
      outbox: { quietHours: "00:00-00:00", workers: 2, leaseSeconds: 60, maxAttempts: 3, pollMs: 1000 },
    },
  });
  const telegram = new TelegramTest(server, fake, server.services.chatChannels[0]);
  await telegram.user(an).say("/start");
  await telegram.user(an).shareContact("+84912345678");
  await sql().run(`UPDATE ChannelIdentity SET locale = 'en' WHERE channel = 'telegram' AND externalId = ?`, [String(an)]);
  await telegram.user(cuong).say("/start");
  await telegram.user(cuong).shareContact("+84987654321");
  await new UssdCaller(server.baseUrl, "+84978111222").dial();
  bacSon = { communeIds: [(await sql().get<{ id: number }>(`SELECT id FROM Commune WHERE name = 'Bắc Sơn'`))!.id] };
  const guardianId = (await sql().get<{ id: number }>(`SELECT id FROM Guardian WHERE phone = '+84987654321'`))!.id;
  const created = (createdAt: string) => new Date(createdAt);
  requests = {
    an: (await createRequest(server.services.db, secret(), { reference: "YCREVIEW01", code: "DEMO-0001", method: "bank", provider: "Agribank", account: "4200555566667777", createdAt: created("2026-12-08T03:00:00Z") })),
    binh: (await createRequest(server.services.db, secret(), { reference: "YCREVIEW02", code: "DEMO-0002", method: "cash_home", homeReason: "age", guardianId, createdAt: created("2026-12-09T03:00:00Z") })),
    hoa: (await createRequest(server.services.db, secret(), { reference: "YCREVIEW03", code: "DEMO-0004", method: "mobile_money", provider: "MoMo", walletPhone: "+84978111222", channel: "ussd", createdAt: created("2026-12-07T03:00:00Z") })),
  };
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

describe("reviewing payment-method change requests", () => {
  it("lists the pending requests of the staff member's communes only, with the current method masked, who asked, where, and how long ago", async () => {
    const pending = (await pendingMethodChanges(sql(), bacSon, NOW));
    expect(pending.map((r) => r.reference)).toEqual(["YCREVIEW01", "YCREVIEW02"]);
    expect(pending[0]).toMatchObject({
      id: requests.an,
      fullName: "Nguyễn Văn An (DEMO)",
      requestedMethod: "bank",
      details: "Agribank ***7777",
      current: { method: "cash", details: "" },
      requester: { kind: "beneficiary", name: "Nguyễn Văn An (DEMO)" },
      channel: "telegram",
      ageMs: 2 * 24 * 3600_000,
    });
    expect(pending[1]).toMatchObject({
      fullName: "Hoàng Thị Bình (DEMO)",
      details: "at home: age",
      current: { method: "bank", details: "Agribank ***6789" },
      requester: { kind: "guardian", name: "Lương Văn Cường (DEMO)" },
      ageMs: 24 * 3600_000,
    });
    expect(JSON.stringify(pending)).not.toContain("4200555566667777");
    expect((await pendingMethodChanges(sql(), { communeIds: "all" }, NOW)).map((r) => r.reference)).toEqual(["YCREVIEW03", "YCREVIEW01", "YCREVIEW02"]);
  });

  it("finds one request by id, of any status, only within the scope", async () => {
    expect((await findMethodChange(sql(), requests.binh, bacSon))).toMatchObject({ reference: "YCREVIEW02", homeReason: "age", beneficiaryCode: "DEMO-0002" });
    expect((await findMethodChange(sql(), requests.hoa, bacSon))).toBeNull();
    expect((await findMethodChange(sql(), requests.hoa, { communeIds: "all" }))).toMatchObject({ reference: "YCREVIEW03", status: "pending" });
    expect((await findMethodChange(sql(), 999_999, { communeIds: "all" }))).toBeNull();
    expect((await findMethodChange(sql(), Number.NaN, { communeIds: "all" }))).toBeNull();
  });

  it("reveals the full account only to staff of the request's commune, and audits who looked", async () => {
    expect((await revealAccount(sql(), secret(), requests.hoa, "lan", bacSon, NOW))).toMatchObject({ ok: false, error: "not_found" });
    expect((await revealAccount(sql(), secret(), 999_999, "lan", bacSon, NOW))).toMatchObject({ ok: false, error: "not_found" });
    expect((await revealAccount(sql(), secret(), requests.binh, "lan", bacSon, NOW))).toMatchObject({ ok: false, error: "nothing_to_reveal" });
    expect((await audits("method_change.account_revealed"))).toEqual([]);

    expect((await revealAccount(sql(), secret(), requests.an, "lan", bacSon, NOW))).toEqual({
      ok: true,
      reference: "YCREVIEW01",
      requestedMethod: "bank",
      accountProvider: "Agribank",
      accountNumber: "4200555566667777",
      walletPhone: null,
    });
    const [entry] = (await audits("method_change.account_revealed"));
    expect(entry).toEqual({ actorKind: "staff", actorId: "lan", entityId: String(requests.an), after: JSON.stringify({ reference: "YCREVIEW01", account: "***7777", walletPhone: null }) });
    expect((await revealAccount(sql(), secret(), requests.hoa, "admin", { communeIds: "all" }, NOW))).toMatchObject({ ok: true, walletPhone: "+84978111222" });
    expect(JSON.stringify((await audits("method_change.account_revealed")))).not.toMatch(/4200555566667777|978111222/);
  });

  it("refuses to decide a request of another commune as not found, and leaves it pending", async () => {
    expect((await decideMethodChangeAndNotify(sql(), { reference: "YCREVIEW03", decision: "approve", by: "lan", scope: bacSon, now: NOW }))).toMatchObject({ ok: false, error: "not_found" });
    expect((await statusOf(server.services.db, "YCREVIEW03"))).toBe("pending");
    expect(await sql().get(`SELECT COUNT(*) AS n FROM OutboxMessage WHERE methodChangeId IS NOT NULL`)).toEqual({ n: 0 });
  });

  it("approves and tells the person on their own channel, in their language, with the account masked", async () => {
    const result = (await decideMethodChangeAndNotify(sql(), { reference: "YCREVIEW01", decision: "approve", by: "lan", scope: bacSon, now: NOW }));
    expect(result).toMatchObject({ ok: true, notified: 1, request: { status: "approved", decidedBy: "lan" } });
    const before = fake.delivered(cuong).length;
    expect((await server.services.outbox.drain()).sent).toBe(1);
    const told = fake.delivered(an).map(textOf).at(-1)!;
    expect(told).toBe(
      [
        "Request YCREVIEW01 to change how Nguyễn Văn An (DEMO) is paid was approved: from the next payment period, the money comes by bank transfer.",
        "Account: Agribank ***7777.",
        "Never enter a PIN, OTP or password.",
      ].join("\n"),
    );
    expect(fake.delivered(cuong).length).toBe(before);
    // Deciding again is refused and tells nobody twice.
    expect((await decideMethodChangeAndNotify(sql(), { reference: "YCREVIEW01", decision: "approve", by: "lan", scope: bacSon, now: NOW }))).toMatchObject({ ok: false, error: "not_pending" });
    expect((await server.services.outbox.drain()).sent).toBe(0);
  });

  it("tells a guardian who asked for the person they care for, not the person", async () => {
    const result = (await decideMethodChangeAndNotify(sql(), { reference: "YCREVIEW02", decision: "reject", by: "lan", reason: "Cần giấy xác nhận của trạm y tế.", scope: bacSon, now: NOW }));
    expect(result).toMatchObject({ ok: true, notified: 1 });
    await server.services.outbox.drain();
    expect(fake.delivered(cuong).map(textOf).at(-1)).toBe(
      'Yêu cầu YCREVIEW02 đổi cách nhận trợ cấp của Hoàng Thị Bình (DEMO) không được duyệt: Cần giấy xác nhận của trạm y tế. Cách nhận tiền vẫn như cũ.\nHãy kiểm tra cách nhận tiền trong menu, hoặc nhắn "gặp cán bộ". Không ai được hỏi mã PIN/OTP của bạn.',
    );
  });

  it("tells a USSD-only person at their next dial", async () => {
    const result = (await decideMethodChangeAndNotify(sql(), { reference: "YCREVIEW03", decision: "reject", by: "minh", reason: "Số ví không đúng tên", scope: { communeIds: "all" }, now: NOW }));
    expect(result).toMatchObject({ ok: true, notified: 1 });
    expect((await server.services.outbox.drain()).sent).toBe(0);
    const phone = new UssdCaller(server.baseUrl, "+84978111222");
    const { text } = await (async () => {
      const first = await phone.dial();
      return first.screen.includes("99. Xem them") ? phone.pressAndReadAll("99").then((r) => ({ text: `${first.screen}\n${r.text}` })) : { text: first.screen };
    })();
    expect(text).toContain("Tin nhan moi: Yeu cau YCREVIEW03 doi cach nhan tro cap cua Vi Thi Hoa (DEMO) khong duoc duyet: So vi khong dung ten.");
    expect(await sql().all(`SELECT status FROM OutboxMessage WHERE methodChangeId = ?`, [requests.hoa])).toEqual([{ status: "delivered" }]);
  });
});
