import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { databaseError, DatabaseUnavailable } from "../../src/db/databaseUnavailable.ts";
import { UNAVAILABLE_SCREEN } from "../../src/http/ussdEndpoint.ts";
import { ConsoleClient } from "../helpers/consoleClient.ts";
import { TEST_DIALECT } from "../helpers/tempDatabase.ts";
import { startTelegramTest, type TelegramTest } from "../channels/telegram/telegramTestKit.ts";
import { UssdCaller } from "../helpers/testServer.ts";
import { startFakeZaloServer, waitFor, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { inboundStatus, postWebhook, zaloConfig, zaloUpdate, ZALO_TEST_TOKEN } from "../channels/zalo/zaloPerson.ts";

// The database locked by another writer, or the disk full, while the service writes: every HTTP
// entry answers 503 (USSD with an END screen, the webhooks so the platform sends again, the console
// with its error page), nothing of the request stays in the database, and the service answers
// normally once the fault is gone.

describe("database errors are told apart", () => {
  it("maps SQLite's and PostgreSQL's unavailability to DatabaseUnavailable, and leaves other errors alone", () => {
    const cases: [Record<string, unknown>, string | null][] = [
      [{ code: "SQLITE_BUSY", message: "database is locked" }, "locked"],
      [{ code: "SQLITE_BUSY_SNAPSHOT", message: "x" }, "locked"],
      [{ code: "SQLITE_FULL", message: "database or disk is full" }, "disk full"],
      [{ code: "SQLITE_IOERR_WRITE", message: "x" }, "disk error"],
      [{ code: "53100", severity: "ERROR", message: "could not extend file" }, "disk full"],
      [{ code: "57P01", severity: "FATAL", message: "terminating connection due to administrator command" }, "server shutting down or starting"],
      [{ code: "08006", severity: "FATAL", message: "x" }, "connection lost"],
      [{ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }, "connection lost"],
      [{ message: "Connection terminated unexpectedly" }, "connection lost"],
      [{ message: "wrapped", cause: { code: "SQLITE_FULL" } }, "disk full"],
      [{ code: "P2010", meta: { driverAdapterError: { cause: { kind: "sqlite", extendedCode: 5 } } } }, "locked"],
      [{ code: "SQLITE_CONSTRAINT_UNIQUE", message: "UNIQUE constraint failed" }, null],
      [{ code: "23505", severity: "ERROR", message: "duplicate key" }, null],
      [{ message: "a bug" }, null],
    ];
    for (const [raw, reason] of cases) {
      const error = Object.assign(new Error(String(raw.message ?? "")), raw);
      const mapped = databaseError(error);
      if (reason === null) expect(mapped, JSON.stringify(raw)).toBe(error);
      else expect((mapped as DatabaseUnavailable).reason, JSON.stringify(raw)).toBe(reason);
    }
  });
});

// SQLite: locked (another connection holds the write lock) and disk full (max_page_count).
// PostgreSQL: locked (another transaction holds every table in EXCLUSIVE mode: reads go on, writes
// wait, and the service's lock_timeout ends the wait); a full disk is not simulated there.
const FAULTS = TEST_DIALECT === "sqlite" ? (["locked", "disk full"] as const) : (["locked"] as const);

describe(`${TEST_DIALECT}: ${FAULTS.join(" or ")} while writing`, () => {
  let test: TelegramTest;
  let zalo: FakeZaloServer;
  let blocker: Database.Database | null = null;
  let pgBlocker: pg.Client | null = null;
  const stderr: string[] = [];
  const originalWrite = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    // Short busy timeout, so a locked write fails in 150 ms rather than 10 s (better-sqlite3 waits synchronously).
    process.env.DATABASE_BUSY_TIMEOUT_MS = "150";
    zalo = await startFakeZaloServer({ token: ZALO_TEST_TOKEN });
    test = await startTelegramTest({ config: zaloConfig(zalo.url) });
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stderr.push(String(chunk));
      return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
  });
  afterAll(async () => {
    process.stderr.write = originalWrite;
    delete process.env.DATABASE_BUSY_TIMEOUT_MS;
    await releaseLock();
    await test.close();
    await zalo.close();
  });
  afterEach(async () => clearFaults());

  async function lockDatabase(): Promise<void> {
    if (TEST_DIALECT === "sqlite") {
      blocker = new Database(test.server.services.db.file!);
      blocker.exec("BEGIN IMMEDIATE");
      return;
    }
    pgBlocker = new pg.Client({ connectionString: test.server.services.db.url });
    await pgBlocker.connect();
    const tables = await pgBlocker.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
    await pgBlocker.query("BEGIN");
    await pgBlocker.query(`LOCK TABLE ${tables.rows.map((t) => `"${t.tablename}"`).join(", ")} IN EXCLUSIVE MODE`);
  }
  async function releaseLock(): Promise<void> {
    if (blocker?.inTransaction) blocker.exec("ROLLBACK");
    blocker?.close();
    blocker = null;
    if (pgBlocker) {
      await pgBlocker.query("ROLLBACK");
      await pgBlocker.end();
      pgBlocker = null;
    }
  }
  function fillDisk(): void {
    const sqlite = test.server.services.db.sqlite!;
    // The file may not grow by one page: the next write that needs a new page fails with SQLITE_FULL.
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const pages = sqlite.pragma("page_count", { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
  }

  /** Rows in every table: what a failed request must leave unchanged. */
  async function counts(): Promise<Record<string, number>> {
    const sql = test.server.services.db.sql;
    const tables =
      TEST_DIALECT === "sqlite"
        ? await sql.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`)
        : await sql.all<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`);
    const result: Record<string, number> = {};
    for (const { name } of tables) result[name] = (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`))!.n;
    return result;
  }

  async function clearFaults(): Promise<void> {
    await releaseLock();
    test.server.services.db.sqlite?.pragma("max_page_count = 4294967294");
  }

  /**
   * Makes requests (`attempt(i)`, each a new person) under the fault until one is refused with a
   * 503, checking that it left no row behind. Locked, the first is refused; with the disk full,
   * writes that fit into pages the file already has still land, and the first that needs a new page
   * is refused.
   */
  async function refusedUnder<T extends { status: number }>(fault: "locked" | "disk full", attempt: (i: number) => Promise<T>): Promise<{ answer: T; index: number }> {
    if (fault === "locked") await lockDatabase();
    else fillDisk();
    for (let i = 0; i < 200; i++) {
      const before = await counts();
      const answer = await attempt(i);
      if (answer.status === 503) {
        expect(await counts()).toEqual(before);
        if (fault === "locked") expect(i).toBe(0);
        return { answer, index: i };
      }
      expect(answer.status).toBeLessThan(400);
    }
    throw new Error(`no request was refused with the ${fault}`);
  }

  /** Runs the chat retry loop (as the service does every few seconds) until `done`. */
  async function retriedUntilDone(inbound: { retryPending(olderThanMs?: number): Promise<number> }, done: () => Promise<boolean>): Promise<void> {
    // An update whose failure could not be recorded either (the disk was full) stays claimed by the
    // instance that received it until its claim runs out (INBOUND_CLAIM_MS, 2 minutes), then any
    // retry loop takes it. The test lets those 2 minutes pass by ending the claims now.
    await test.server.services.db.sql.run(`UPDATE InboundUpdate SET claimedUntil = ? WHERE status IN ('pending', 'answered')`, [sqlTimestamp(new Date(Date.now() - 1000))]);
    await waitFor(async () => {
      if (await done()) return true;
      await inbound.retryPending(0);
      return false;
    }, "the recorded updates to be answered by the retry loop", 10_000);
  }

  for (const fault of FAULTS) {
    const base = fault === "locked" ? 100 : 500;

    it(`USSD: ${fault} → 503 with an END screen, nothing stored; answers once the fault is gone`, async () => {
      const callers: UssdCaller[] = [];
      const started = Date.now();
      const { answer, index } = await refusedUnder(fault, (i) => {
        callers[i] = new UssdCaller(test.server.baseUrl, `0912${String(base + i).padStart(6, "0")}`);
        return callers[i].dial();
      });
      expect(answer.body).toBe(`END ${UNAVAILABLE_SCREEN}`);
      if (fault === "locked") expect(Date.now() - started).toBeLessThan(5_000);
      await clearFaults();
      const again = await callers[index].repeat();
      expect(again.status).toBe(200);
      expect(again.body.startsWith("CON ")).toBe(true);
    });

    it(`Telegram webhook: ${fault} → 503 (Telegram sends it again), nothing recorded; the resend is answered`, async () => {
      const updates: Record<string, any>[] = [];
      const { answer, index } = await refusedUnder(fault, (i) => {
        updates[i] = test.user(base * 100 + i).textUpdate("/start");
        return test.post(updates[i]);
      });
      expect(await answer.text()).toBe("Service unavailable, please try again");
      expect(await test.inboundRow(updates[index].update_id)).toBeUndefined();
      await clearFaults();
      const delivered = await test.user(base * 100 + index).send(updates[index]);
      expect(delivered).toHaveLength(1);
      // Updates recorded before the disk filled, whose step then failed, are answered by the retry loop.
      await retriedUntilDone(test.runtime.inbound, async () => {
        for (const update of updates.slice(0, index)) if ((await test.inboundRow(update.update_id))?.status !== "done") return false;
        return true;
      });
      for (const update of updates.slice(0, index)) expect(test.fake.delivered(update.message.chat.id)).toHaveLength(1);
    });

    it(`Zalo webhook: ${fault} → 503 (Zalo sends it again), nothing recorded; the resend is answered`, async () => {
      const updates: ReturnType<typeof zaloUpdate>[] = [];
      const keyOf = (update: ReturnType<typeof zaloUpdate>) => `${update.event_name}:${update.message.message_id}`;
      const { answer, index } = await refusedUnder(fault, (i) => {
        updates[i] = zaloUpdate(`zdb-${base}-${i}`, "message.text.received", { text: "Xin chào" });
        return postWebhook(test.server, { ok: true, result: updates[i] });
      });
      expect(await answer.text()).toBe("Service unavailable, please try again");
      expect(await inboundStatus(test.server, keyOf(updates[index]))).toBeUndefined();
      await clearFaults();
      expect((await postWebhook(test.server, { ok: true, result: updates[index] })).status).toBe(200);
      await waitFor(async () => (await inboundStatus(test.server, keyOf(updates[index]))) === "done", "the resent update");
      expect(zalo.textsTo(`zdb-${base}-${index}`).length).toBeGreaterThan(0);
      // Updates recorded before the disk filled, whose step then failed, are answered by the retry loop.
      await retriedUntilDone(test.server.services.chatChannels.find((c) => c.channel === "zalo")!.inbound, async () => {
        for (const update of updates.slice(0, index)) if ((await inboundStatus(test.server, keyOf(update))) !== "done") return false;
        return true;
      });
    });

    it(`console: ${fault} → its 503 page, no session made; logs in once the fault is gone`, async () => {
      const client = new ConsoleClient(test.server.baseUrl);
      const { answer } = await refusedUnder(fault, async () => {
        const response = await client.submitLogin("demo-admin", "demo-admin-pass");
        client.cookies.clear(); // the next attempt makes a session of its own
        return response;
      });
      expect(answer.text).toContain("<html");
      expect(answer.text).not.toMatch(/SQLITE|\.ts:\d+/);
      await clearFaults();
      expect((await client.submitLogin("demo-admin", "demo-admin-pass")).status).toBe(303);
    });
  }

  it("logs each failure as one line with its reason, no stack and no personal number", () => {
    const lines = stderr.join("").split("\n").filter((line) => line.includes(': database unavailable"'));
    expect(lines.length).toBeGreaterThanOrEqual(4 * FAULTS.length);
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(FAULTS).toContain(entry.reason);
      expect(line).not.toMatch(/\n\s+at |0912000111/);
    }
  });
});
