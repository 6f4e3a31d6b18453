import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startFakeZaloServer, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// 400 notices (200 Telegram, 200 Zalo) sent by a real `ansinh outbox send` process, killed with
// SIGKILL half way through and started again. The fake platforms count what arrived.
const PER_CHANNEL = 200;
const WORKERS = 2;
let temp: TempDatabase;
let telegram: FakeTelegramServer;
let zalo: FakeZaloServer;

beforeAll(async () => {
  telegram = await FakeTelegramServer.start();
  zalo = await startFakeZaloServer({ token: "zalo-crash-token" });
  temp = await tempDatabase();
  const at = sqlTimestamp(new Date(Date.now() - 60_000));
  const sql = temp.db.sql;
  await sql.transaction(async () => {
    for (let i = 0; i < PER_CHANNEL; i++) {
      for (const [channel, id] of [["telegram", String(900_000 + i)], ["zalo", `zc-${i}`]]) {
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
];

describe("the outbox under kill -9", () => {
  it("loses nothing and doubles at most one message per sending worker", async () => {
    const first = startSender();
    const deadline = Date.now() + 30_000;
    while (received().length < PER_CHANNEL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(received().length).toBeGreaterThan(0);
    expect(received().length).toBeLessThan(2 * PER_CHANNEL);
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
    for (const channel of ["telegram", "zalo"]) {
      for (let i = 0; i < PER_CHANNEL; i++) expect(counts.get(`Thông báo số ${channel}-${i}`), `${channel}-${i}`).toBeGreaterThanOrEqual(1);
    }
    const doubled = [...counts.values()].filter((n) => n > 1).length;
    console.info(`received ${atKill} before the kill, ${texts.length} in all, ${doubled} doubled`);
    expect(doubled).toBeLessThanOrEqual(WORKERS);
    expect(texts.length).toBe(2 * PER_CHANNEL + doubled);
    expect(atKill).toBeLessThan(texts.length);

    const db = await openDatabase(temp.url);
    try {
      const statuses = await db.sql.all(`SELECT status, COUNT(*) AS n FROM OutboxMessage GROUP BY status`);
      expect(statuses).toEqual([{ status: "sent", n: 2 * PER_CHANNEL }]);
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
