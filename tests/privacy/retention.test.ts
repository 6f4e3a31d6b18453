import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { applyRetention } from "../../src/domain/privacy/applyRetention.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// The retention job with a controlled clock (runs on PostgreSQL too with TEST_DATABASE=postgres).
const NOW = new Date("2027-12-10T19:30:00Z");
const DAY = 86_400_000;
const daysAgo = (n: number) => sqlTimestamp(new Date(NOW.getTime() - n * DAY));
// The counts are per day in Vietnam (the dashboard's months are): 19:30 UTC is 02:30 the next day there.
const vietnamDay = (timestamp: string) => new Date(Date.parse(timestamp) + 7 * 3_600_000).toISOString().slice(0, 10);
let t: TempDatabase;
beforeEach(async () => {
  t = await tempDatabase();
  const sql = t.db.sql;
  for (const [age, channel] of [[400, "ussd"], [400, "ussd"], [366, "telegram"], [364, "telegram"], [1, "zalo"]] as const) {
    await sql.run(`INSERT INTO MessageLog (channel, externalId, direction, text, createdAt) VALUES (?, 'x', 'in', 'words', ?)`, [channel, daysAgo(age)]);
  }
  let key = 0;
  for (const [age, status] of [[400, "done"], [400, "pending"], [10, "done"]] as const) {
    await sql.run(`INSERT INTO InboundUpdate (channel, updateKey, payload, status, receivedAt) VALUES ('telegram', ?, '{}', ?, ?)`, [String(++key), status, daysAgo(age)]);
  }
  for (const [age, status] of [[400, "sent"], [400, "pending"], [10, "sent"]] as const) {
    await sql.run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, kind, text, dueAt, status, createdAt, updatedAt) VALUES (?, 'zalo', 'x', 'notice', 'the words', ?, ?, ?, ?)`,
      [`k${++key}`, daysAgo(age), status, daysAgo(age), daysAgo(age)],
    );
  }
});
afterEach(async () => {
  await t.cleanup();
});

describe("the daily retention job", () => {
  it("removes transcripts and handled inbound logs older than RETENTION_DAYS, strips old sent messages, and keeps the counts", async () => {
    const sql = t.db.sql;
    expect(await applyRetention(sql, { now: NOW, days: 365 })).toEqual({ transcriptLines: 3, inboundUpdates: 1, messagesStripped: 1 });
    expect((await sql.all<{ channel: string }>(`SELECT channel FROM MessageLog ORDER BY id`)).map((r) => r.channel)).toEqual(["telegram", "zalo"]);
    expect((await sql.all<{ status: string }>(`SELECT status FROM InboundUpdate ORDER BY id`)).map((r) => r.status)).toEqual(["pending", "done"]);
    const outbox = await sql.all<{ status: string; text: string | null }>(`SELECT status, text FROM OutboxMessage ORDER BY id`);
    expect(outbox).toEqual([
      { status: "sent", text: null },
      { status: "pending", text: "the words" },
      { status: "sent", text: "the words" },
    ]);
    const counts = await sql.all<{ tableName: string; day: string; channel: string; count: number }>(`SELECT tableName, day, channel, count FROM RetentionCount ORDER BY tableName, day`);
    expect(counts.map((c) => ({ ...c, count: Number(c.count) }))).toEqual([
      { tableName: "InboundUpdate", day: vietnamDay(daysAgo(400)), channel: "telegram", count: 1 },
      { tableName: "MessageLog", day: vietnamDay(daysAgo(400)), channel: "ussd", count: 2 },
      { tableName: "MessageLog", day: vietnamDay(daysAgo(366)), channel: "telegram", count: 1 },
    ]);
    // A second run the same day finds nothing more, and the counts stay.
    expect(await applyRetention(sql, { now: NOW, days: 365 })).toEqual({ transcriptLines: 0, inboundUpdates: 0, messagesStripped: 0 });
    expect(await sql.all(`SELECT count FROM RetentionCount`)).toHaveLength(3);
    expect(await sql.get(`SELECT after FROM AuditLog WHERE action = 'retention.applied'`)).toBeTruthy();
  });

  it("keeps everything younger than the period", async () => {
    expect(await applyRetention(t.db.sql, { now: NOW, days: 500 })).toEqual({ transcriptLines: 0, inboundUpdates: 0, messagesStripped: 0 });
  });
});
