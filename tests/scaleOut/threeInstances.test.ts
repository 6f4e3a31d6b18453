import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { loadDemoDataIfEmpty } from "../../src/demo/loadDemoData.ts";
import { createServices, type Services } from "../../src/services.ts";
import { broadcastNow } from "../helpers/broadcastNow.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startFakeZaloServer, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { tempDatabase, TEST_DIALECT, type TempDatabase } from "../helpers/tempDatabase.ts";
import { busiestSecond } from "../helpers/busiestSecond.ts";
import { TEST_REDIS_URL as REDIS_URL } from "../helpers/externalServices.ts";
import { startServeProcess, until, type ServeProcess } from "../helpers/serveProcess.ts";
import { UssdCaller } from "../helpers/testServer.ts";

// Three `ansinh serve` processes on one PostgreSQL database and one Redis, as a deployment behind
// a load balancer: USSD hops of one session go to the instances in turn; a broadcast to 5,000
// people goes out through all three while one is killed with SIGKILL half-way. Then we count.
const RECIPIENTS = 5_000;
const RATE_PER_SECOND = 100; // per channel, for the whole deployment
const WORKERS = 2; // outbox workers per instance: at most this many claims die with an instance
const LEASE_SECONDS = 3;
const PREFIX = `ansinh-scale-${randomBytes(5).toString("hex")}`;
const ZALO_TOKEN = "zalo-scale-token";

let temp: TempDatabase;
let services: Services;
let telegram: FakeTelegramServer;
let zalo: FakeZaloServer;
const instances: ServeProcess[] = [];

function startInstance(): Promise<ServeProcess> {
  return startServeProcess({
    cwd: temp.dir,
    timeoutMs: 60_000,
    env: {
      DATABASE_URL: temp.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: PREFIX,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_RATE_PER_SECOND: String(RATE_PER_SECOND),
      ZALO_BOT_TOKEN: ZALO_TOKEN,
      ZALO_API_ROOT: zalo.url,
      ZALO_RATE_PER_SECOND: String(RATE_PER_SECOND),
      QUIET_HOURS: "00:00-00:00",
      OUTBOX_WORKERS: String(WORKERS),
      OUTBOX_LEASE_SECONDS: String(LEASE_SECONDS),
      OUTBOX_POLL_MS: "50",
    },
  });
}

/** 5,000 people in a commune of their own, every other one on Telegram, the others on Zalo. */
async function seedRecipients(): Promise<number> {
  const { sql } = services.db;
  const at = sqlTimestamp();
  const { id: communeId } = (await sql.get<{ id: number }>(
    `INSERT INTO Commune (key, name, createdAt, updatedAt) VALUES ('xa thu tai', 'Xa Thu Tai (DEMO)', ?, ?) RETURNING id`,
    [at, at],
  ))!;
  // generate_series: this test runs on PostgreSQL only.
  await sql.run(
    `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, createdAt, updatedAt)
     SELECT 'SCALE-' || i, 'Nguoi Thu ' || i || ' (DEMO)', '1950-01-01', ?, 'elderly', ?, ? FROM generate_series(1, ?) AS i`,
    [communeId, at, at, RECIPIENTS],
  );
  await sql.run(
    `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, createdAt, updatedAt)
     SELECT CASE WHEN b.id % 2 = 0 THEN 'telegram' ELSE 'zalo' END, CAST(900000 + b.id AS TEXT), b.id, 'citizen_id_dob', ?, ?
     FROM Beneficiary b WHERE b.communeId = ?`,
    [at, at, communeId],
  );
  return communeId;
}

const sentMessages = () => [
  ...telegram.callsOf("sendMessage").filter((c) => c.status === 200).map((c) => ({ channel: "telegram", to: String(c.payload.chat_id), at: c.at })),
  ...zalo.callsTo("sendMessage").filter((c) => c.status === 200).map((c) => ({ channel: "zalo", to: String(c.payload.chat_id), at: c.at })),
];

describe.runIf(TEST_DIALECT === "postgres")("three instances on one PostgreSQL and one Redis", () => {
  let communeId: number;

  beforeAll(async () => {
    telegram = await FakeTelegramServer.start();
    zalo = await startFakeZaloServer({ token: ZALO_TOKEN });
    temp = await tempDatabase();
    services = await createServices({ config: { databaseUrl: temp.url } });
    await loadDemoDataIfEmpty(services);
    communeId = await seedRecipients();
    for (let i = 0; i < 3; i++) instances.push(await startInstance());
  }, 180_000);

  afterAll(async () => {
    for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill("SIGKILL");
    await services?.close();
    await telegram?.close();
    await zalo?.close();
    await temp?.cleanup();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`b_${PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("continues a USSD session whose hops go to the instances in turn, and answers a repeat sent to another instance alike", async () => {
    const urls = instances.map((i) => i.baseUrl);
    const phone = new UssdCaller(urls, "+84912345678");
    const menu = await phone.freshDial();
    expect(menu.screen).toContain("Nguyen Van An (DEMO)");
    const status = await phone.press("1");
    expect(status.screen).toContain("Ky 12/2026: Nhan tien mat ngay 05/12/2026");
    expect(status.screen).toContain("So tien: 1.000.000 d");
    expect(status.screen).toContain("1. Cac ky truoc");
    const history = await phone.press("1");
    expect(history.screen).toContain("11/2026: 750.000 d - da nhan");
    // The gateway sends the last request again; the load balancer gives it to the next instance.
    const repeated = await phone.repeat();
    expect(repeated.screen).toBe(history.screen);
    // Two sessions at once, each across all three instances, do not mix.
    const [a, b] = [new UssdCaller(urls, "+84912345678"), new UssdCaller([...urls].reverse(), "+84987654321")];
    const [screenA, screenB] = await Promise.all([a.freshDial(), b.freshDial()]);
    expect(screenA.screen).toContain("Nguyen Van An (DEMO)");
    expect(screenB.screen).not.toContain("Nguyen Van An (DEMO)");
  });

  it("sends a broadcast to 5,000 people through all instances, one killed half-way: none lost, doubles only where a send was cut short, the rate held", async () => {
    const broadcastId = await broadcastNow(services, "Thong bao thu nghiem (DEMO): chi tra thang 12 bat dau ngay 05/12.", communeId, "scale-test");

    const recipients = new Set<string>();
    const isRecipient = (to: string) => Number(to) > 900000;
    await until(() => sentMessages().filter((m) => isRecipient(m.to)).length >= RECIPIENTS / 2 || null, "half the broadcast", 120_000);
    const victim = instances[1];
    victim.child.kill("SIGKILL");
    const killedAt = Date.now();
    await until(() => victim.child.exitCode !== null || victim.child.signalCode !== null || null, "the killed instance to exit", 10_000);

    await until(
      () => {
        for (const m of sentMessages()) if (isRecipient(m.to)) recipients.add(`${m.channel}:${m.to}`);
        return recipients.size >= RECIPIENTS || null;
      },
      "every recipient to receive the broadcast",
      150_000,
      () => `${recipients.size} of ${RECIPIENTS} received`,
    ).catch(async (error: Error) => {
      // Say where the missing ones are in the outbox.
      const missing = await services.db.sql.all<Record<string, unknown>>(
        `SELECT channel, externalId, status, attempts, ambiguous, lastError, claimedBy, claimedAt FROM OutboxMessage WHERE broadcastId = ? ORDER BY id`,
        [broadcastId],
      );
      const rows = missing.filter((row) => !recipients.has(`${row.channel}:${row.externalId}`));
      throw new Error(`${error.message}\nnot received: ${JSON.stringify(rows.slice(0, 5))}`);
    });
    // Let anything still in flight land before counting doubles. A row the killed instance was
    // sending goes again to the same chat, whose slot in the shared per-chat limiter the dead
    // instance still holds until Bottleneck expires it (JOB_EXPIRATION_MS, 60 s, in channelSender.ts):
    // so the last resend may come up to a minute after the kill.
    const unsettled = () =>
      services.db.sql.all<Record<string, unknown>>(
        `SELECT id, channel, status, attempts, ambiguous, dueAt, lastError, claimedBy, claimedAt FROM OutboxMessage WHERE broadcastId = ? AND status IN ('pending', 'sending')`,
        [broadcastId],
      );
    await until(async () => (await unsettled()).length === 0 || null, "the outbox to settle", 90_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\nstill unsettled: ${JSON.stringify((await unsettled()).slice(0, 5))}`);
    });
    const settledSeconds = ((Date.now() - killedAt) / 1000).toFixed(1);

    const perRecipient = new Map<string, number>();
    for (const m of sentMessages()) if (isRecipient(m.to)) perRecipient.set(`${m.channel}:${m.to}`, (perRecipient.get(`${m.channel}:${m.to}`) ?? 0) + 1);
    const doubles = [...perRecipient.values()].reduce((sum, n) => sum + (n - 1), 0);
    const { ambiguous } = (await services.db.sql.get<{ ambiguous: number }>(
      `SELECT COUNT(*) AS ambiguous FROM OutboxMessage WHERE broadcastId = ? AND ambiguous = TRUE`,
      [broadcastId],
    ))!;
    const { sent } = (await services.db.sql.get<{ sent: number }>(`SELECT COUNT(*) AS sent FROM OutboxMessage WHERE broadcastId = ? AND status = 'sent'`, [
      broadcastId,
    ]))!;

    const busiest = Object.fromEntries(["telegram", "zalo"].map((channel) => [channel, busiestSecond(sentMessages().filter((m) => m.channel === channel).map((m) => m.at))]));
    console.log(`3 instances, 1 killed: ${perRecipient.size}/${RECIPIENTS} reached, ${doubles} doubled, ${ambiguous} ambiguous, busiest second ${JSON.stringify(busiest)} (limit ${RATE_PER_SECOND}/s per channel), settled ${settledSeconds} s after the kill`);
    expect(perRecipient.size, "recipients reached").toBe(RECIPIENTS);
    expect(sent, "outbox rows recorded as sent").toBe(RECIPIENTS);
    // A message is doubled only when its instance died between the platform taking it and the
    // outbox recording it; such rows are marked ambiguous, and an instance holds one per worker.
    expect(doubles).toBeLessThanOrEqual(ambiguous);
    expect(ambiguous).toBeLessThanOrEqual(WORKERS);
    // The two live instances and the killed one shared one limit per channel, through Redis.
    for (const channel of ["telegram", "zalo"]) expect(busiest[channel], `${channel} messages in the busiest second`).toBeLessThanOrEqual(RATE_PER_SECOND);
    // The survivors are still serving.
    for (const instance of [instances[0], instances[2]]) expect((await fetch(`${instance.baseUrl}/readyz`)).status).toBe(200);
  }, 420_000);
});
