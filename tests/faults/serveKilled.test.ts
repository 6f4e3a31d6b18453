import type { ChildProcess } from "node:child_process";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { createServices, type Services } from "../../src/services.ts";
import { todayInVietnam } from "../../src/shared/dates.ts";
import { broadcastNow } from "../helpers/broadcastNow.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startFakeZaloServer, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { startServeProcess, until } from "../helpers/serveProcess.ts";
import { tempDatabase, TEST_DIALECT, type TempDatabase } from "../helpers/tempDatabase.ts";

// A real `ansinh serve` killed with SIGKILL while it sends a broadcast, and while it sends
// reminders, through the fake Telegram and Zalo servers; then started again. Every message
// arrives; a message arrives twice only where a sending worker was cut short between the platform
// taking it and the outbox recording it (at most one per worker), and those are counted ambiguous;
// the database passes its integrity check.
const PER_CHANNEL = 150;
const WORKERS = 2;
const ZALO_TOKEN = "zalo-kill-token";

let temp: TempDatabase;
let services: Services;
let telegram: FakeTelegramServer;
let zalo: FakeZaloServer;
let serving: ChildProcess | null = null;

async function startServe(): Promise<ChildProcess> {
  const { child } = await startServeProcess({
    cwd: temp.dir,
    env: {
      DATABASE_URL: temp.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_RATE_PER_SECOND: "60",
      ZALO_BOT_TOKEN: ZALO_TOKEN,
      ZALO_API_ROOT: zalo.url,
      ZALO_RATE_PER_SECOND: "60",
      QUIET_HOURS: "00:00-00:00",
      REMINDER_DAYS_BEFORE: "3",
      OUTBOX_WORKERS: String(WORKERS),
      OUTBOX_LEASE_SECONDS: "1",
      OUTBOX_POLL_MS: "50",
    },
  });
  serving = child;
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
  if (serving === child) serving = null;
}

/** Messages that arrived at the fake platforms, per recipient (`telegram:<chat>` / `zalo:<chat>`). */
function arrivals(prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const c of telegram.callsOf("sendMessage")) if (c.status === 200 && String(c.payload.chat_id).startsWith(prefix)) add(`telegram:${c.payload.chat_id}`);
  for (const c of zalo.callsTo("sendMessage")) if (c.status === 200 && String(c.payload.chat_id).startsWith(`z${prefix}`)) add(`zalo:${c.payload.chat_id}`);
  return counts;
}

/**
 * A commune of 2 × PER_CHANNEL people, half on Telegram (chat `<prefix>NNN`), half on Zalo
 * (`z<prefix>NNN`); with `payDate`, each has a scheduled payment then.
 */
async function seedPeople(prefix: string, payDate: string | null): Promise<number> {
  const { sql } = services.db;
  const at = sqlTimestamp();
  return sql.transaction(async () => {
    const { id: communeId } = (await sql.get<{ id: number }>(`INSERT INTO Commune (key, name, createdAt, updatedAt) VALUES (?, ?, ?, ?) RETURNING id`, [
      `xa ${prefix}`,
      `Xa ${prefix} (DEMO)`,
      at,
      at,
    ]))!;
    const periodId = payDate
      ? (await sql.get<{ id: number }>(`INSERT INTO PaymentPeriod (period, importedAt) VALUES (?, ?) RETURNING id`, [payDate.slice(0, 7), at]))!.id
      : null;
    for (let i = 0; i < 2 * PER_CHANNEL; i++) {
      const { id } = (await sql.get<{ id: number }>(
        `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, createdAt, updatedAt) VALUES (?, ?, '1950-01-01', ?, 'elderly', ?, ?) RETURNING id`,
        [`K${prefix}-${i}`, `Nguoi ${prefix} ${i} (DEMO)`, communeId, at, at],
      ))!;
      const [channel, externalId] = i % 2 === 0 ? ["telegram", `${prefix}${String(i).padStart(4, "0")}`] : ["zalo", `z${prefix}${String(i).padStart(4, "0")}`];
      await sql.run(`INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, createdAt, updatedAt) VALUES (?, ?, ?, 'citizen_id_dob', ?, ?)`, [
        channel,
        externalId,
        id,
        at,
        at,
      ]);
      if (periodId !== null) {
        await sql.run(`INSERT INTO Payment (beneficiaryId, periodId, amount, method, payDate, status, createdAt, updatedAt) VALUES (?, ?, 750000, 'cash', ?, 'scheduled', ?, ?)`, [
          id,
          periodId,
          payDate,
          at,
          at,
        ]);
      }
    }
    return communeId;
  });
}

/** SQLite's integrity check; on PostgreSQL the counts of each test are the check. */
function integrityCheck(): string {
  if (TEST_DIALECT !== "sqlite") return "ok";
  const connection = new Database(temp.url.replace(/^file:/, ""), { readonly: true });
  try {
    return (connection.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
  } finally {
    connection.close();
  }
}

/** Kills serve once a quarter of the messages arrived, starts it again, and waits for every recipient. */
async function killMidwayAndRestart(prefix: string): Promise<Map<string, number>> {
  const total = 2 * PER_CHANNEL;
  await until(() => arrivals(prefix).size >= total / 4 || null, "a quarter of the messages", 60_000);
  await kill(serving!, "SIGKILL");
  const atKill = arrivals(prefix).size;
  expect(atKill).toBeLessThan(total);
  await startServe();
  await until(() => arrivals(prefix).size >= total || null, "every recipient's message", 60_000, () => `${arrivals(prefix).size} of ${total}`);
  // Anything still in flight lands before the doubles are counted.
  await until(
    async () => (await services.db.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM OutboxMessage WHERE status IN ('pending', 'sending') AND dueAt <= ?`, [sqlTimestamp()]))!.n === 0 || null,
    "the outbox to settle",
    30_000,
  );
  console.log(`${prefix}: killed at ${atKill} of ${total} arrived`);
  return arrivals(prefix);
}

beforeAll(async () => {
  telegram = await FakeTelegramServer.start();
  zalo = await startFakeZaloServer({ token: ZALO_TOKEN });
  temp = await tempDatabase();
  services = await createServices({ config: { databaseUrl: temp.url } });
});
afterEach(async () => {
  if (serving) await kill(serving, "SIGTERM");
});
afterAll(async () => {
  if (serving) await kill(serving, "SIGKILL");
  await services?.close();
  await telegram?.close();
  await zalo?.close();
  await temp?.cleanup();
});

describe("kill -9 of `ansinh serve`, then started again", () => {
  it("during a broadcast: everyone receives it, doubles only where a send was cut short, and those counted ambiguous", async () => {
    const communeId = await seedPeople("81", null);
    await startServe();
    const broadcastId = await broadcastNow(services, "Thong bao (DEMO): chi tra thang 12 bat dau ngay 05/12.", communeId, "fault-test");

    const perRecipient = await killMidwayAndRestart("81");
    const doubles = [...perRecipient.values()].reduce((sum, n) => sum + n - 1, 0);
    const row = (await services.db.sql.get<{ sent: number; ambiguous: number }>(
      `SELECT SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent, SUM(CASE WHEN ambiguous = TRUE THEN 1 ELSE 0 END) AS ambiguous FROM OutboxMessage WHERE broadcastId = ?`,
      [broadcastId],
    ))!;
    console.log(`broadcast: ${perRecipient.size} reached, ${doubles} doubled, ${row.ambiguous} ambiguous`);
    expect(perRecipient.size).toBe(2 * PER_CHANNEL);
    expect(row.sent).toBe(2 * PER_CHANNEL);
    expect(doubles).toBeLessThanOrEqual(row.ambiguous);
    expect(row.ambiguous).toBeLessThanOrEqual(WORKERS);
    expect(integrityCheck()).toBe("ok");
  }, 120_000);

  it("during reminder sending: every reminder arrives once, but for the ambiguous ones", async () => {
    // Paid the day after tomorrow: the reminder 3 days before is past due, so it goes out at once.
    const payDate = todayInVietnam(new Date(Date.now() + 2 * 86_400_000));
    await seedPeople("82", payDate);
    await startServe(); // plans the reminders as it starts
    const perRecipient = await killMidwayAndRestart("82");
    const doubles = [...perRecipient.values()].reduce((sum, n) => sum + n - 1, 0);
    const row = (await services.db.sql.get<{ sent: number; ambiguous: number; planned: number }>(
      `SELECT COUNT(*) AS planned, SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent, SUM(CASE WHEN ambiguous = TRUE THEN 1 ELSE 0 END) AS ambiguous
       FROM OutboxMessage WHERE kind = 'reminder_before' AND paymentId IN (SELECT id FROM Payment WHERE payDate = ?)`,
      [payDate],
    ))!;
    console.log(`reminders: ${perRecipient.size} reached, ${doubles} doubled, ${row.ambiguous} ambiguous`);
    expect(row.planned).toBe(2 * PER_CHANNEL);
    expect(perRecipient.size).toBe(2 * PER_CHANNEL);
    expect(row.sent).toBe(2 * PER_CHANNEL);
    expect(doubles).toBeLessThanOrEqual(row.ambiguous);
    expect(row.ambiguous).toBeLessThanOrEqual(WORKERS);
    expect(integrityCheck()).toBe("ok");
  }, 120_000);
});
