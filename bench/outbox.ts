/**
 * Outbox benchmark: (1) planning payment-day reminders for 1,000,000 scheduled payments, and
 * (2) sending through the Telegram channel to a local fake Bot API that answers 429 whenever
 * more than the configured rate arrives within any one second: achieved rate as a share of the
 * limit, and the number of 429s. Targets (issue 4): planning under 60 s; sending at 95 % or more
 * of the limit with no 429.
 *
 * Run: npm run bench:outbox -- [payments=1000000] [messages=1500] [ratePerSecond=100]
 *      npm run bench:outbox -- --quick   (20,000 payments, 150 messages: checks the bench works)
 *
 * A SQLite bench: the 1,000,000-row seed is SQLite SQL (a recursive CTE, printf) run through the
 * raw connection (db.sqlite); what is measured runs on db.sql.
 */
import { FakeAfricasTalkingSms } from "../tests/helpers/fakeAfricasTalkingSms.ts";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../src/db/database.ts";
import { sqlTimestamp } from "../src/db/sql/sqlTimestamp.ts";
import { planReminders } from "../src/domain/outbox/planReminders.ts";
import { createServices } from "../src/services.ts";
import { freePort, startChild } from "./lib/children.ts";
import { fmt, printRunHeader, table } from "./lib/machine.ts";

const QUICK = process.argv.includes("--quick");
const numbers = process.argv.slice(2).filter((a) => !a.startsWith("--")).map(Number);
const [payments = QUICK ? 20_000 : 1_000_000, messages = QUICK ? 150 : 1_500, rate = 100] = numbers;
process.env.ANSINH_SECRET ??= "bench-secret";
process.env.LOG_LEVEL ??= "error";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-bench-outbox-"));

/** 1,000,000 beneficiaries each with a scheduled payment and a Telegram identity with reminders on, made in SQL. */
async function seed(url: string, count: number): Promise<void> {
  const db = await openDatabase(url);
  const at = sqlTimestamp();
  db.sqlite!.exec(`INSERT INTO Commune (key, name, createdAt, updatedAt) VALUES ('bench', 'Bench', '${at}', '${at}')`);
  db.sqlite!.exec(`INSERT INTO PaymentPeriod (period, importedAt) VALUES ('2026-12', '${at}')`);
  db.sqlite!.exec(`
    WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${count})
    INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, status, createdAt, updatedAt)
    SELECT 'B' || n, 'Người ' || n, '1950-01-01', 1, 'elderly', 'active', '${at}', '${at}' FROM seq`);
  db.sqlite!.exec(`
    INSERT INTO Payment (beneficiaryId, periodId, amount, backPay, method, payDate, status, createdAt, updatedAt)
    SELECT id, 1, 500000, 0, 'cash', '2026-12-' || printf('%02d', 5 + id % 20), 'scheduled', '${at}', '${at}' FROM Beneficiary`);
  db.sqlite!.exec(`
    INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, locale, remindersOn, createdAt, updatedAt)
    SELECT 'telegram', 'tg' || id, id, 'phone', 'vi', 1, '${at}', '${at}' FROM Beneficiary`);
  await db.close();
}

async function benchPlanning() {
  const url = `file:${path.join(dir, "plan.db")}`;
  const seeded = performance.now();
  await seed(url, payments);
  const seedSeconds = (performance.now() - seeded) / 1000;
  const db = await openDatabase(url);
  const now = new Date("2026-11-29T03:00:00Z");
  const started = performance.now();
  const first = await planReminders(db.sql, { daysBefore: 3, deliveryTime: "07:30" }, now);
  const firstSeconds = (performance.now() - started) / 1000;
  const again = performance.now();
  const second = await planReminders(db.sql, { daysBefore: 3, deliveryTime: "07:30" }, now);
  const againSeconds = (performance.now() - again) / 1000;
  await db.close();
  return { seedSeconds, firstSeconds, againSeconds, planned: first.planned, replanned: second.planned };
}

/** The rate-checking Bot API stand-in, in a process of its own. */
async function rateCheckingServer(limit: number) {
  const port = await freePort();
  const child = await startChild({ name: "rate-checking Bot API", args: ["--import", "tsx", "bench/servers/rate-checking-bot-api.ts"], env: { LIMIT: String(limit) }, port });
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    stats: async () => (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as { accepted: number; refused: number; seconds: number },
    close: () => child.stop(),
  };
}

async function benchSending() {
  const fake = await rateCheckingServer(rate);
  const services = await createServices({
    config: {
      databaseUrl: `file:${path.join(dir, "send.db")}`,
      telegram: { token: "1:BENCH", apiRoot: fake.apiRoot, webhookSecret: null, limits: { perSecond: rate, perChatPerSecond: 1, maxRetries: 5, backoffMs: 100 } },
      outbox: { quietHours: "00:00-00:00", workers: 8, leaseSeconds: 60, maxAttempts: 8, pollMs: 1000 },
    },
  });
  const at = sqlTimestamp();
  const { sql } = services.db;
  await sql.transaction(async () => {
    for (let i = 0; i < messages; i++) {
      const identity = await sql.get<{ id: number }>(
        `INSERT INTO ChannelIdentity (channel, externalId, createdAt, updatedAt) VALUES ('telegram', ?, ?, ?) RETURNING id`,
        [String(10_000 + i), at, at],
      );
      await sql.run(
        `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt)
         VALUES (?, 'telegram', ?, ?, 'notice', ?, ?, 'pending', ?, ?)`,
        [`notice:bench:${i}`, String(10_000 + i), identity!.id, `Thông báo ${i}`, at, at, at],
      );
    }
  });
  const started = performance.now();
  const counts = await services.outbox.drain();
  const seconds = (performance.now() - started) / 1000;
  const stats = await fake.stats();
  await services.close();
  await fake.close();
  return { counts, seconds, stats };
}

/**
 * The same sending through the SMS channel, against the fake Africa's Talking (in this process),
 * which answers 429 to any call over the limit within a second.
 */
async function benchSmsSending() {
  const fake = await FakeAfricasTalkingSms.start();
  fake.limitPerSecond = rate;
  const services = await createServices({
    config: {
      databaseUrl: `file:${path.join(dir, "send-sms.db")}`,
      sms: {
        provider: "africastalking",
        apiRoot: fake.apiRoot,
        africasTalking: { username: fake.username, apiKey: fake.apiKey, senderId: null },
        esms: { apiKey: null, secretKey: null, brandname: null },
        limits: { perSecond: rate, perChatPerSecond: 1, maxRetries: 5, backoffMs: 100 },
        pricePerSegment: 800,
        callbackSecret: null,
      },
      outbox: { quietHours: "00:00-00:00", workers: 8, leaseSeconds: 60, maxAttempts: 8, pollMs: 1000 },
    },
  });
  const at = sqlTimestamp();
  const { sql } = services.db;
  const phone = (i: number) => `+8491${String(1_000_000 + i).padStart(7, "0")}`;
  await sql.transaction(async () => {
    for (let i = 0; i < messages; i++) {
      const identity = await sql.get<{ id: number }>(`INSERT INTO ChannelIdentity (channel, externalId, createdAt, updatedAt) VALUES ('sms', ?, ?, ?) RETURNING id`, [phone(i), at, at]);
      await sql.run(
        `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt)
         VALUES (?, 'sms', ?, ?, 'notice', ?, ?, 'pending', ?, ?)`,
        [`notice:bench-sms:${i}`, phone(i), identity!.id, `Thông báo ${i}`, at, at, at],
      );
    }
  });
  const started = performance.now();
  const counts = await services.outbox.drain();
  const seconds = (performance.now() - started) / 1000;
  const accepted = fake.accepted.map((c) => c.at);
  const stats = { accepted: accepted.length, refused: fake.calls.filter((c) => c.status === 429).length, seconds: (Math.max(...accepted) - Math.min(...accepted)) / 1000 };
  await services.close();
  await fake.close();
  return { counts, seconds, stats };
}

printRunHeader("bench/outbox.ts");
console.log(`Outbox benchmark: ${fmt.int(payments)} payments to plan, ${fmt.int(messages)} messages to send at ${rate}/s`);
const planning = await benchPlanning();
console.log(`\nPlanning reminders (2 per payment: 3 days before and on the day)`);
console.log(
  table(
    ["payments", "seed (s)", "plan (s)", "reminders queued", "plan again (s)", "queued again", "target"],
    [[fmt.int(payments), planning.seedSeconds.toFixed(1), planning.firstSeconds.toFixed(1), fmt.int(planning.planned), planning.againSeconds.toFixed(1), fmt.int(planning.replanned), "< 60 s"]],
  ),
);
const sending = await benchSending();
// N messages span N - 1 intervals between the first and the last arrival.
const achieved = (sending.stats.accepted - 1) / Math.max(sending.stats.seconds, 0.001);
console.log(`\nSending ${messages} messages through the Telegram channel, limit ${rate}/s (8 workers; the fake refuses any call over ${rate} in a second)`);
console.log(
  table(
    ["sent", "429s", "elapsed (s)", "achieved rate (/s)", "share of limit", "target"],
    [[fmt.int(sending.counts.sent), fmt.int(sending.stats.refused), sending.seconds.toFixed(1), achieved.toFixed(1), fmt.pct(achieved / rate), "≥ 95 %, no 429"]],
  ),
);
const smsSending = await benchSmsSending();
const smsAchieved = (smsSending.stats.accepted - 1) / Math.max(smsSending.stats.seconds, 0.001);
console.log(`\nSending ${messages} messages by SMS (fake Africa's Talking in this process), SMS_RATE_PER_SECOND ${rate} (8 workers; the fake refuses any call over ${rate} in a second)`);
console.log(
  table(
    ["sent", "429s", "elapsed (s)", "achieved rate (/s)", "share of limit", "target"],
    [[fmt.int(smsSending.counts.sent), fmt.int(smsSending.stats.refused), smsSending.seconds.toFixed(1), smsAchieved.toFixed(1), fmt.pct(smsAchieved / rate), "≥ 95 %, no 429"]],
  ),
);
fs.rmSync(dir, { recursive: true, force: true });
