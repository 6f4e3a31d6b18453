import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startFakeZaloServer, zaloAnswers, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { ZALO_TEST_SECRET, ZALO_TEST_TOKEN, ZaloPerson } from "../channels/zalo/zaloPerson.ts";

// The chat platforms misbehave while the outbox sends: 429 with retry_after, 500, a connection
// closed without an answer, a call that never answers. Every message still arrives, once; the
// waits follow retry_after; and the service keeps answering everyone else meanwhile.
const PER_CHANNEL = 12;
let server: TestServer;
let telegram: FakeTelegramServer;
let zalo: FakeZaloServer;
let batch = 0;

beforeAll(async () => {
  telegram = await FakeTelegramServer.start();
  zalo = await startFakeZaloServer({ token: ZALO_TEST_TOKEN });
  const limits = { perSecond: 200, perChatPerSecond: 100, maxRetries: 12, backoffMs: 20 };
  const config: Partial<Config> = {
    telegram: { token: telegram.token, apiRoot: telegram.apiRoot, webhookSecret: "s3cret-for_tests", limits },
    zalo: { token: ZALO_TEST_TOKEN, apiRoot: zalo.url, webhookSecret: ZALO_TEST_SECRET, limits },
    publicUrl: null,
    // The test must not depend on the hour it runs at; two sending workers, as by default.
    outbox: { quietHours: "00:00-00:00", workers: 2, leaseSeconds: 60, maxAttempts: 8, pollMs: 2000 },
  };
  server = await startTestServer({ config });
});
afterEach(() => {
  telegram.recover();
  telegram.releaseHeld();
});
afterAll(async () => {
  await server?.close();
  await telegram?.close();
  await zalo?.close();
});

/** Queues one notice per recipient, due now: Telegram chats `<base>+i`, Zalo chats `zf<base>-i`. */
async function queueNotices(count: number): Promise<{ telegram: string[]; zalo: string[] }> {
  const base = 700_000 + 1000 * ++batch;
  const { sql } = server.services.db;
  const at = sqlTimestamp(new Date(Date.now() - 1000));
  const recipients = { telegram: [] as string[], zalo: [] as string[] };
  await sql.transaction(async () => {
    for (let i = 0; i < count; i++) {
      for (const [channel, externalId] of [["telegram", String(base + i)], ["zalo", `zf${base}-${i}`]] as const) {
        recipients[channel].push(externalId);
        const identity = (await sql.get<{ id: number }>(`INSERT INTO ChannelIdentity (channel, externalId, createdAt, updatedAt) VALUES (?, ?, ?, ?) RETURNING id`, [channel, externalId, at, at]))!.id;
        await sql.run(
          `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'notice', ?, ?, 'pending', ?, ?)`,
          [`notice:fault:${channel}:${externalId}`, channel, externalId, identity, `Thong bao ${externalId}`, at, at, at],
        );
      }
    }
  });
  return recipients;
}

function deliveries(channel: "telegram" | "zalo", externalId: string) {
  const calls = channel === "telegram" ? telegram.callsOf("sendMessage", externalId) : zalo.callsTo("sendMessage").filter((c) => c.payload.chat_id === externalId);
  return { calls, delivered: calls.filter((c) => c.status === 200) };
}

/** A USSD caller's first screen, and how long it took. */
async function timedDial(phone: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const answer = await new UssdCaller(server.baseUrl, phone).dial();
  return { ms: performance.now() - started, status: answer.status };
}

describe("chat platforms failing while the outbox sends", () => {
  it("429 with retry_after, 500 and closed connections: every message arrives once, retried with backoff", async () => {
    const recipients = await queueNotices(PER_CHANNEL);
    telegram.fail("sendMessage", { kind: "rate_limited", retryAfter: 1 }, { times: 2 });
    telegram.fail("sendMessage", { kind: "server_error" }, { times: 3 });
    telegram.fail("sendMessage", { kind: "connection_closed" }, { times: 3 });
    zalo.answerNext("sendMessage", zaloAnswers.rateLimited(1), zaloAnswers.serverError(), zaloAnswers.close(), zaloAnswers.serverError(), zaloAnswers.close(), zaloAnswers.rateLimited(1));

    const drained = await server.services.outbox.drain();
    expect(drained.sent).toBe(2 * PER_CHANNEL);

    const failures = { telegram: { 0: 0, 429: 0, 500: 0 }, zalo: { 0: 0, 429: 0, 500: 0 } } as Record<string, Record<number, number>>;
    for (const channel of ["telegram", "zalo"] as const) {
      for (const externalId of recipients[channel]) {
        const { calls, delivered } = deliveries(channel, externalId);
        expect(delivered, `${channel} ${externalId}`).toHaveLength(1);
        for (const call of calls) if (call.status !== 200) failures[channel][call.status]++;
        // After a 429 the next try waited retry_after (1 s).
        calls.forEach((call, i) => {
          if (call.status === 429) expect(calls[i + 1].at - call.at, `${channel} wait after 429`).toBeGreaterThanOrEqual(950);
        });
      }
    }
    expect(failures.telegram).toEqual({ 0: 3, 429: 2, 500: 3 });
    expect(failures.zalo).toEqual({ 0: 2, 429: 2, 500: 2 });
    const rows = await server.services.db.sql.all<{ status: string; ambiguous: number }>(`SELECT status, ambiguous FROM OutboxMessage WHERE dedupeKey LIKE 'notice:fault:%'`);
    expect(rows.every((r) => r.status === "sent" && r.ambiguous === 0)).toBe(true);
  }, 30_000);

  it("a Zalo call that never answers times out and is sent again; USSD callers are answered promptly meanwhile", async () => {
    const recipients = await queueNotices(2);
    zalo.answerNext("sendMessage", zaloAnswers.hang());
    const drained = server.services.outbox.drain();
    await waitUntil(() => zalo.callsTo("sendMessage").some((c) => recipients.zalo.includes(String(c.payload.chat_id)) && c.status === 0), "the hanging call");
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await timedDial(`0913${String(100000 + i)}`));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(1_000);
    }
    expect((await drained).sent).toBe(4);
    for (const channel of ["telegram", "zalo"] as const) for (const id of recipients[channel]) expect(deliveries(channel, id).delivered).toHaveLength(1);
  }, 30_000);

  it("Telegram holding every call: USSD callers, health checks and Zalo users are answered meanwhile; the held messages arrive once when it answers", async () => {
    const recipients = await queueNotices(3);
    telegram.hold("sendMessage");
    const drained = server.services.outbox.drain();
    await waitUntil(() => telegram.held > 0, "a held Telegram call");
    const answer = await timedDial("0913200000");
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(1_000);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    // A person writing on Zalo is answered while both sending workers wait on Telegram.
    const started = performance.now();
    expect(await new ZaloPerson(server, zalo, "zf-person-1").say("/start")).not.toBe("");
    expect(performance.now() - started).toBeLessThan(2_000);
    telegram.releaseHeld();
    expect((await drained).sent).toBe(6);
    for (const id of recipients.telegram) expect(deliveries("telegram", id).delivered).toHaveLength(1);
  }, 30_000);
});

async function waitUntil(probe: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
