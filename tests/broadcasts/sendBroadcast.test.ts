import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduleBroadcast } from "../../src/domain/broadcasts/queueBroadcast.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startFakeZaloServer, waitFor, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { TelegramTest, WEBHOOK_SECRET } from "../channels/telegram/telegramTestKit.ts";
import { addBeneficiary, addCommune, addIdentity, ussdPhone } from "./broadcastFixture.ts";

// 300 people of one commune: 100 on Telegram, 100 on Zalo, 100 reached only by USSD; some chose
// English. The real OutboxSender sends to local fake Telegram and Zalo servers; USSD callers dial
// the real POST /ussd. Nobody who said stop, blocked the bot or lives in another commune hears anything.
const PER_CHANNEL = 100;
const LIMITS = { perSecond: 100, perChatPerSecond: 100, maxRetries: 1, backoffMs: 5 };
let now = new Date("2026-12-01T03:00:00Z"); // 10:00 in Vietnam
let server: TestServer;
let telegram: FakeTelegramServer;
let zalo: FakeZaloServer;
let commune: number;
const scope = () => ({ communeIds: [commune] });
const tgId = (i: number) => String(500_000 + i);
const zaloId = (i: number) => `z-${i}`;
const english = (i: number) => i % 3 === 0;
const excluded = { telegram: ["490001", "490002"], zalo: ["z-stop"], ussd: [ussdPhone(9001)] };

const sql = () => server.services.db.sql;
const broadcasts = () => server.services.broadcasts;
const texts = (n: number) => ({ textVi: `Thông báo số ${n} của xã: họp thôn lúc 7h30.`, textEn: `Notice ${n} from the commune: village meeting at 7:30.` });
const telegramTexts = (chatId: string) => telegram.delivered(chatId).map((c) => String(c.payload.text));
const allReceived = () => [...telegram.callsOf("sendMessage").filter((c) => c.status === 200).map((c) => String(c.payload.text)), ...zalo.callsTo("sendMessage").filter((c) => c.status === 200).map((c) => String(c.payload.text))];
const receivedOf = (n: number) => allReceived().filter((t) => t.startsWith(`Thông báo số ${n} `) || t.startsWith(`Notice ${n} `));

async function sendNewBroadcast(n: number) {
  const created = await broadcasts().create({ ...texts(n), audience: {}, createdBy: "lan", scope: scope() });
  if (!created.ok) throw new Error(created.message);
  const sent = await broadcasts().sendNow({ id: created.broadcast.id, by: "lan", scope: scope() });
  if (!sent.ok) throw new Error(sent.message);
  return sent;
}

beforeAll(async () => {
  telegram = await FakeTelegramServer.start();
  zalo = await startFakeZaloServer({ token: "zalo-bcast-token" });
  server = await startTestServer({
    demo: false,
    clock: () => now,
    config: {
      telegram: { token: telegram.token, apiRoot: telegram.apiRoot, webhookSecret: WEBHOOK_SECRET, limits: LIMITS },
      zalo: { token: "zalo-bcast-token", apiRoot: zalo.url, webhookSecret: null, limits: LIMITS },
      outbox: { quietHours: "00:00-00:00", workers: 2, leaseSeconds: 60, maxAttempts: 3, pollMs: 1000 },
    },
  });
  commune = await addCommune(sql(), "Bắc Sơn");
  const elsewhere = await addCommune(sql(), "Tràng Định");
  const person = (communeId = commune) => addBeneficiary(sql(), { communeId });
  await sql().transaction(async () => {
    for (let i = 0; i < PER_CHANNEL; i++) {
      const locale = english(i) ? "en" : "vi";
      await addIdentity(sql(), { channel: "telegram", externalId: tgId(i), beneficiaryId: await person(), locale });
      await addIdentity(sql(), { channel: "zalo", externalId: zaloId(i), beneficiaryId: await person(), locale });
      await addIdentity(sql(), { channel: "ussd", externalId: ussdPhone(i), beneficiaryId: await person(), locale });
    }
    await addIdentity(sql(), { channel: "telegram", externalId: excluded.telegram[0], beneficiaryId: await person(), remindersOn: false });
    await addIdentity(sql(), { channel: "telegram", externalId: excluded.telegram[1], beneficiaryId: await person(), unreachable: true });
    await addIdentity(sql(), { channel: "zalo", externalId: excluded.zalo[0], beneficiaryId: await person(), remindersOn: false });
    await addIdentity(sql(), { channel: "ussd", externalId: excluded.ussd[0], beneficiaryId: await person(elsewhere) });
  });
});
afterAll(async () => {
  await server.close();
  await telegram.close();
  await zalo.close();
});

describe("sending a broadcast to 300 people", () => {
  it("reaches each person once, on their channel, in their language; USSD callers see it at their next dial", async () => {
    expect(await broadcasts().countReach({}, scope())).toMatchObject({ ok: true, reach: { people: { telegram: 100, zalo: 100, ussd: 100, total: 300 } } });
    const sent = await sendNewBroadcast(1);
    expect(sent).toMatchObject({ queued: 300, broadcast: { status: "sending", recipients: 300 } });

    const counts = await server.services.outbox.drain();
    expect(counts).toMatchObject({ sent: 200, failed: 0 });
    for (let i = 0; i < PER_CHANNEL; i++) {
      const expected = english(i) ? texts(1).textEn : texts(1).textVi;
      expect(telegramTexts(tgId(i)), `telegram ${i}`).toEqual([expected]);
      expect(zalo.textsTo(zaloId(i)), `zalo ${i}`).toEqual([expected]);
    }
    for (const chat of excluded.telegram) expect(telegramTexts(chat)).toEqual([]);
    expect(zalo.textsTo(excluded.zalo[0])).toEqual([]);
    expect(await sql().get(`SELECT COUNT(*) AS n FROM OutboxMessage WHERE externalId = ?`, [excluded.ussd[0]])).toEqual({ n: 0 });

    // USSD: nothing can be pushed; the person sees it when they dial, once, in their language.
    const vietnamese = new UssdCaller(server.baseUrl, ussdPhone(1));
    const first = await vietnamese.dial();
    expect(first.screen).toContain("Tin nhan moi: Thong bao so 1 cua xa: hop thon luc 7h30.");
    expect((await new UssdCaller(server.baseUrl, ussdPhone(1)).dial()).screen).not.toContain("Thong bao so 1");
    const inEnglish = await new UssdCaller(server.baseUrl, ussdPhone(3)).dial();
    expect(inEnglish.screen).toContain("Notice 1 from the commune: village meeting at 7:30.");

    const progress = await broadcasts().progress(sent.broadcast.id, scope());
    expect(progress).toMatchObject({
      ok: true,
      progress: { status: "sent", total: 300, sent: 200, delivered: 2, failed: 0, pending: 98, awaitingDial: 98, cancelled: 0 },
    });
    expect(progress.ok && progress.progress.byChannel).toEqual({
      telegram: { sent: 100, delivered: 0, failed: 0, pending: 0, cancelled: 0 },
      zalo: { sent: 100, delivered: 0, failed: 0, pending: 0, cancelled: 0 },
      ussd: { sent: 0, delivered: 2, failed: 0, pending: 98, cancelled: 0 },
    });
    expect((await broadcasts().get(sent.broadcast.id, scope()))?.sentAt).not.toBeNull();
    const audit = await sql().all(`SELECT actorKind, actorId, action FROM AuditLog WHERE entity = 'Broadcast' AND entityId = ? ORDER BY id`, [String(sent.broadcast.id)]);
    expect(audit).toEqual([
      { actorKind: "staff", actorId: "lan", action: "broadcast.created" },
      { actorKind: "staff", actorId: "lan", action: "broadcast.sent_now" },
      { actorKind: "system", actorId: "outbox", action: "broadcast.sent" },
    ]);
    // Sending again is refused: it went out already.
    expect(await broadcasts().sendNow({ id: sent.broadcast.id, by: "lan", scope: scope() })).toMatchObject({ ok: false, error: "wrong_status" });
  });

  it("cancelled half way: what was pending is cancelled, what was sent stays sent, nothing more goes out", async () => {
    const sent = await sendNewBroadcast(2);
    const draining = server.services.outbox.drain();
    await waitFor(() => receivedOf(2).length >= 40, "40 messages of broadcast 2");
    const cancel = await broadcasts().cancel({ id: sent.broadcast.id, by: "lan", scope: scope() });
    await draining;
    if (!cancel.ok) throw new Error(cancel.message);
    expect(cancel.alreadySent + cancel.inFlight).toBeGreaterThanOrEqual(40); // received but not yet recorded: in flight
    expect(cancel.alreadySent + cancel.inFlight).toBeLessThan(200);
    expect(cancel.cancelled + cancel.alreadySent + cancel.inFlight).toBe(300);
    expect(cancel.inFlight).toBeLessThanOrEqual(2); // one per sending worker at most

    const byStatus = Object.fromEntries(
      (await sql().all<{ status: string; n: number }>(`SELECT status, COUNT(*) AS n FROM OutboxMessage WHERE broadcastId = ? GROUP BY status`, [sent.broadcast.id])).map((r) => [r.status, r.n]),
    );
    expect(byStatus).toEqual({ sent: cancel.alreadySent + cancel.inFlight, cancelled: cancel.cancelled });
    expect(receivedOf(2)).toHaveLength(byStatus.sent);
    for (let i = 0; i < PER_CHANNEL; i++) {
      expect(telegramTexts(tgId(i)).filter((t) => t.includes(" 2 ")).length).toBeLessThanOrEqual(1);
      expect(zalo.textsTo(zaloId(i)).filter((t) => t.includes(" 2 ")).length).toBeLessThanOrEqual(1);
    }
    expect((await server.services.outbox.drain()).sent).toBe(0);
    expect(receivedOf(2)).toHaveLength(byStatus.sent);
    // The USSD people will not see it either.
    expect((await new UssdCaller(server.baseUrl, ussdPhone(10)).dial()).screen).not.toContain("so 2");
    expect(await broadcasts().progress(sent.broadcast.id, scope())).toMatchObject({ ok: true, progress: { status: "cancelled", pending: 0, cancelled: cancel.cancelled } });
    expect(await broadcasts().cancel({ id: sent.broadcast.id, by: "lan", scope: scope() })).toMatchObject({ ok: false, error: "wrong_status" });
    expect(await sql().get(`SELECT after FROM AuditLog WHERE action = 'broadcast.cancelled' AND entityId = ?`, [String(sent.broadcast.id)])).toEqual({
      after: JSON.stringify({ status: "cancelled", cancelled: cancel.cancelled, alreadySent: cancel.alreadySent, inFlight: cancel.inFlight }),
    });
  });

  it("finishes queuing cut short by a crash, and never queues anyone twice", async () => {
    const created = await broadcasts().create({ ...texts(3), audience: {}, createdBy: "lan", scope: scope() });
    if (!created.ok) throw new Error(created.message);
    const id = created.broadcast.id;
    await scheduleBroadcast(sql(), { id, at: now, by: "lan", scope: scope(), now, batchSize: 50 });
    // The state a crash after two batches leaves: 100 rows queued (and, say, already sent), no queuedAt.
    const firstHundred = (await sql().all<{ id: number }>(`SELECT id FROM OutboxMessage WHERE broadcastId = ? ORDER BY id LIMIT 100`, [id])).map((r) => r.id);
    await sql().run(`DELETE FROM OutboxMessage WHERE broadcastId = ? AND id > ?`, [id, firstHundred.at(-1)]);
    await sql().run(`UPDATE OutboxMessage SET status = 'sent', sentAt = updatedAt WHERE broadcastId = ?`, [id]);
    await sql().run(`UPDATE Broadcast SET queuedAt = NULL, recipients = NULL WHERE id = ?`, [id]);

    // Nothing is pending, but the broadcast is not taken for sent: its queuing did not finish.
    expect(await broadcasts().progress(id, scope())).toMatchObject({ ok: true, progress: { status: "sending", total: 100 } });
    const [again, concurrently] = await Promise.all([broadcasts().resumeQueueing(), broadcasts().resumeQueueing()]);
    expect(again + concurrently).toBe(200);
    expect(await broadcasts().resumeQueueing()).toBe(0);
    const rows = await sql().all<{ identityId: number; status: string }>(`SELECT identityId, status FROM OutboxMessage WHERE broadcastId = ?`, [id]);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.identityId)).size).toBe(300);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(100);
    expect(await broadcasts().get(id, scope())).toMatchObject({ recipients: 300 });

    await server.services.outbox.drain();
    const pushedBeforeCrash = new Set(
      (await sql().all<{ externalId: string }>(`SELECT externalId FROM OutboxMessage WHERE id IN (${firstHundred.join(",")}) AND channel != 'ussd'`)).map((r) => r.externalId),
    );
    for (let i = 0; i < PER_CHANNEL; i++) {
      for (const [chat, received] of [[tgId(i), telegramTexts(tgId(i))], [zaloId(i), zalo.textsTo(zaloId(i))]] as const) {
        const copies = received.filter((t) => t.includes(" 3 ")).length;
        expect(copies, chat).toBe(pushedBeforeCrash.has(chat) ? 0 : 1);
      }
    }
    const progress = await broadcasts().progress(id, scope());
    expect(progress).toMatchObject({ ok: true, progress: { status: "sent", total: 300, failed: 0 } });
    // What is left waits for USSD dials only.
    expect(progress.ok && progress.progress.pending).toBe(progress.ok && progress.progress.awaitingDial);
  });

  it("holds a scheduled broadcast until its time, on chat and on USSD, moves it when rescheduled, and drops it for who says stop meanwhile", async () => {
    const created = await broadcasts().create({ ...texts(4), audience: {}, createdBy: "lan", scope: scope() });
    if (!created.ok) throw new Error(created.message);
    const id = created.broadcast.id;
    const tomorrow = new Date(now.getTime() + 24 * 3600_000);
    expect(await broadcasts().schedule({ id, at: new Date(now.getTime() - 3600_000), by: "lan", scope: scope() })).toMatchObject({ ok: false, error: "invalid" });
    expect(await broadcasts().schedule({ id, at: tomorrow, by: "lan", scope: scope() })).toMatchObject({ ok: true, queued: 300, broadcast: { status: "scheduled" } });
    expect((await server.services.outbox.drain()).sent).toBe(0);
    expect((await new UssdCaller(server.baseUrl, ussdPhone(20)).dial()).screen).not.toContain("so 4");
    const later = new Date(tomorrow.getTime() + 3600_000);
    expect(await broadcasts().schedule({ id, at: later, by: "lan", scope: scope() })).toMatchObject({ ok: true, queued: 0, broadcast: { status: "scheduled" } });
    expect(await sql().all(`SELECT DISTINCT dueAt FROM OutboxMessage WHERE broadcastId = ?`, [id])).toEqual([{ dueAt: later.toISOString().replace("Z", "+00:00") }]);
    await new TelegramTest(server, telegram, server.services.chatChannels[0]).user(Number(tgId(7))).say("tắt nhắc");
    expect(telegramTexts(tgId(7)).at(-1)).toContain("Đã tắt nhắc lịch");
    now = new Date(later.getTime() + 60_000);
    expect((await server.services.outbox.drain()).sent).toBe(199);
    expect(telegramTexts(tgId(7)).filter((t) => t.includes(" 4 "))).toEqual([]);
    expect(telegramTexts(tgId(8)).filter((t) => t.includes(" 4 "))).toHaveLength(1);
    expect((await new UssdCaller(server.baseUrl, ussdPhone(20)).dial()).screen).toContain("Thong bao so 4");
    expect(await broadcasts().progress(id, scope())).toMatchObject({ ok: true, progress: { status: "sent", sent: 199, delivered: 1, cancelled: 1 } });
  });
});
