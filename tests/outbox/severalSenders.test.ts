import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "../../src/db/database.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import type { Sql } from "../../src/db/sql/sql.ts";
import { OutboxSender } from "../../src/domain/outbox/outboxSender.ts";
import type { OutboxText } from "../../src/domain/outbox/outboxText.ts";
import { parseQuietHours } from "../../src/domain/outbox/quietHours.ts";
import { TEST_DIALECT, tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// Senders on one database: the claim gives each due message to one of them, and a dead sender's
// claims go to another after the lease. Two instances only on PostgreSQL (SQLite has one writer).
const MESSAGES = 60;
let temp: TempDatabase;
let other: AppDatabase | null = null;
const delivered: string[] = [];

const words = { wordsFor: async (row: { text: string | null }) => row.text } as unknown as OutboxText;
const notify = async (_to: string, text: string) => {
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  delivered.push(text);
};
const sender = (sql: Sql, senderId: string, leaseMs = 60_000) =>
  new OutboxSender(sql, new Map([["telegram", notify]]), words, () => new Date(), {
    workers: 3,
    leaseMs,
    quietHours: parseQuietHours("00:00-00:00"),
    maxAttempts: 3,
    senderId,
  });

async function queue(sql: Sql, count: number, claim?: { by: string; at: string }): Promise<void> {
  const at = sqlTimestamp(new Date(Date.now() - 60_000));
  for (let i = 0; i < count; i++) {
    await sql.run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, kind, text, dueAt, status, claimedBy, claimedAt, attempts, createdAt, updatedAt)
       VALUES (?, 'telegram', ?, 'notice', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [`notice:several:${claim?.by ?? ""}${i}`, `chat-${i}`, `${claim?.by ?? "m"}-${i}`, at, claim ? "sending" : "pending", claim?.by ?? null, claim?.at ?? null, claim ? 1 : 0, at, at],
    );
  }
}

beforeEach(async () => {
  delivered.length = 0;
  temp = await tempDatabase();
});
afterEach(async () => {
  await other?.close();
  other = null;
  await temp.cleanup();
});

describe("several outbox senders", () => {
  it.runIf(TEST_DIALECT === "postgres")("send each due message once when two instances drain side by side", async () => {
    await queue(temp.db.sql, MESSAGES);
    other = await openDatabase(temp.url);
    const [a, b] = await Promise.all([sender(temp.db.sql, "A").drain(), sender(other.sql, "B").drain()]);
    expect(a.sent + b.sent).toBe(MESSAGES);
    expect(new Set(delivered).size).toBe(MESSAGES);
    expect(delivered).toHaveLength(MESSAGES);
    expect(await temp.db.sql.all(`SELECT status, COUNT(*) AS n FROM OutboxMessage GROUP BY status`)).toEqual([{ status: "sent", n: MESSAGES }]);
  });

  it("take over a dead sender's claims after the lease, flagged ambiguous, and leave a live sender's alone", async () => {
    const old = sqlTimestamp(new Date(Date.now() - 120_000));
    const recent = sqlTimestamp(new Date());
    await queue(temp.db.sql, 2, { by: "dead#0", at: old });
    await queue(temp.db.sql, 2, { by: "alive#0", at: recent });
    const counts = await sender(temp.db.sql, "C", 60_000).drain();
    expect(counts.sent).toBe(2);
    expect(delivered.sort()).toEqual(["dead#0-0", "dead#0-1"]);
    expect(await temp.db.sql.all(`SELECT claimedBy, status, ambiguous FROM OutboxMessage ORDER BY id`)).toEqual([
      { claimedBy: "C#0", status: "sent", ambiguous: 1 },
      { claimedBy: expect.stringMatching(/^C#/), status: "sent", ambiguous: 1 },
      { claimedBy: "alive#0", status: "sending", ambiguous: 0 },
      { claimedBy: "alive#0", status: "sending", ambiguous: 0 },
    ]);
  });

  it("keep a live sender's claim while its message waits longer than the lease: nobody takes it over, it goes once", async () => {
    await queue(temp.db.sql, 1);
    let release!: () => void;
    const slowNotify = (_to: string, text: string) =>
      new Promise<void>((resolve) => (release = resolve)).then(() => {
        delivered.push(text);
      });
    const slow = new OutboxSender(temp.db.sql, new Map([["telegram", slowNotify]]), words, () => new Date(), {
      workers: 1,
      leaseMs: 300,
      quietHours: parseQuietHours("00:00-00:00"),
      maxAttempts: 3,
      senderId: "slow",
    });
    const sending = slow.drain();
    // Four leases long, another sender keeps looking for abandoned claims and due messages.
    const other = sender(temp.db.sql, "D", 300);
    for (let i = 0; i < 12; i++) {
      expect((await other.drain()).sent).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    release();
    expect((await sending).sent).toBe(1);
    expect(delivered).toEqual(["m-0"]);
    expect(await temp.db.sql.all(`SELECT claimedBy, status, ambiguous, attempts FROM OutboxMessage`)).toEqual([
      { claimedBy: "slow#0", status: "sent", ambiguous: 0, attempts: 1 },
    ]);
  });
});
