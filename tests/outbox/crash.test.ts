import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startFakeZaloServer, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// 600 notices (200 Telegram, 200 Zalo, 200 SMS through Africa's Talking) sent by a real `ansinh
// outbox send` process, killed with SIGKILL half way through and started again. The fake platforms
// count what arrived.
const PER_CHANNEL = 200;
const WORKERS = 2;
let temp: TempDatabase;
let telegram: FakeTelegramServer;
let zalo: FakeZaloServer;
let sms: FakeAfricasTalkingSms;
const CHANNELS = ["telegram", "zalo", "sms"] as const;

beforeAll(async () => {
  telegram = await FakeTelegramServer.start();
  zalo = await startFakeZaloServer({ token: "zalo-crash-token" });
  sms = await FakeAfricasTalkingSms.start();
  temp = await tempDatabase();
  const at = sqlTimestamp(new Date(Date.now() - 60_000));
  const sql = temp.db.sql;
  await sql.transaction(async () => {
    for (let i = 0; i < PER_CHANNEL; i++) {
      for (const [channel, id] of [["telegram", String(900_000 + i)], ["zalo", `zc-${i}`], ["sms", `+8491${String(2_000_000 + i).padStart(7, "0")}`]]) {
        const identity = (await sql.get<{ id: number }>(`INSERT INTO ChannelIdentity (channel, externalId, createdAt, updatedAt) VALUES (?, ?, ?, ?) RETURNING id`, [channel, id, at, at]))!.id;
        await sql.run(
          `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'notice', ?, ?, 'pending', ?, ?)`,
          [`notice:crash:${channel}:${i}`, channel, id, identity, `Thông báo số ${channel}-${i}`, at, at, at],
        );
      }
    }
  });
  await temp.db.close();
});
afterAll(async () => {
  await telegram.close();
  await zalo.close();
  await sms.close();
  await temp.cleanup();
});

function startSender(): ChildProcess {
  return spawn(process.execPath, [`${PROJECT_ROOT}/bin/ansinh.mjs`, "outbox", "send"], {
    env: {
      ...process.env,
      LOG_LEVEL: "error",
      DATABASE_URL: temp.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_RATE_PER_SECOND: "150",
      ZALO_BOT_TOKEN: "zalo-crash-token",
      ZALO_API_ROOT: zalo.url,
      ZALO_RATE_PER_SECOND: "150",
      SMS_PROVIDER: "africastalking",
      SMS_API_ROOT: sms.apiRoot,
      AT_USERNAME: sms.username,
      AT_API_KEY: sms.apiKey,
      SMS_RATE_PER_SECOND: "150",
      OUTBOX_WORKERS: String(WORKERS),
      OUTBOX_LEASE_SECONDS: "1",
      // The test must not depend on the hour CI runs at.
      QUIET_HOURS: "00:00-00:00",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const received = () => [
  ...telegram.callsOf("sendMessage").filter((c) => c.status === 200).map((c) => String(c.payload.text)),
  ...zalo.callsTo("sendMessage").filter((c) => c.status === 200).map((c) => String(c.payload.text)),
  // SMS text goes without diacritics.
  ...sms.accepted.map((c) => String(c.body.message).replace("Thong bao so", "Thông báo số")),
];

describe("the outbox under kill -9", () => {
  it("loses nothing and doubles at most one message per sending worker", async () => {
    const first = startSender();
    const deadline = Date.now() + 30_000;
    while (received().length < PER_CHANNEL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(received().length).toBeGreaterThan(0);
    expect(received().length).toBeLessThan(CHANNELS.length * PER_CHANNEL);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const atKill = received().length;

    // After the lease (1 s) the next sender takes over the claims the dead one left.
    await new Promise((r) => setTimeout(r, 1_200));
    const second = startSender();
    const exitCode = await new Promise<number | null>((resolve) => second.once("exit", resolve));
    expect(exitCode).toBe(0);

    const texts = received();
    const counts = new Map<string, number>();
    for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
    for (const channel of CHANNELS) {
      for (let i = 0; i < PER_CHANNEL; i++) expect(counts.get(`Thông báo số ${channel}-${i}`), `${channel}-${i}`).toBeGreaterThanOrEqual(1);
    }
    const doubled = [...counts.values()].filter((n) => n > 1).length;
    console.info(`received ${atKill} before the kill, ${texts.length} in all, ${doubled} doubled`);
    expect(doubled).toBeLessThanOrEqual(WORKERS);
    expect(texts.length).toBe(CHANNELS.length * PER_CHANNEL + doubled);
    expect(atKill).toBeLessThan(texts.length);

    const db = await openDatabase(temp.url);
    try {
      const statuses = await db.sql.all(`SELECT status, COUNT(*) AS n FROM OutboxMessage GROUP BY status`);
      expect(statuses).toEqual([{ status: "sent", n: CHANNELS.length * PER_CHANNEL }]);
      // Every SMS keeps the id its provider gave it.
      expect(await db.sql.get(`SELECT COUNT(*) AS n FROM OutboxMessage WHERE channel = 'sms' AND providerId IS NULL`)).toEqual({ n: 0 });
      const ambiguous = (await db.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM OutboxMessage WHERE ambiguous = TRUE`))!.n;
      // Every doubled message is among those flagged ambiguous; at most one per worker was in hand.
      expect(ambiguous).toBeGreaterThanOrEqual(doubled);
      expect(ambiguous).toBeLessThanOrEqual(WORKERS);
      if (db.sqlite) expect(db.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      await db.close();
    }
  }, 60_000);
});
