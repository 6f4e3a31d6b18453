import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { OutboxSender } from "../../src/domain/outbox/outboxSender.ts";
import type { OutboxText } from "../../src/domain/outbox/outboxText.ts";
import { parseQuietHours } from "../../src/domain/outbox/quietHours.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// One due notice and a platform that answers only when the test says so.
let temp: TempDatabase;
let answer: () => void;
let sender: OutboxSender;

beforeEach(async () => {
  temp = await tempDatabase();
  const at = sqlTimestamp(new Date(Date.now() - 60_000));
  await temp.db.sql.run(
    `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, kind, text, dueAt, status, createdAt, updatedAt) VALUES ('notice:stop', 'telegram', 'chat-1', 'notice', 'x', ?, 'pending', ?, ?)`,
    [at, at, at],
  );
  const notify = () => new Promise<void>((resolve) => (answer = resolve));
  const words = { wordsFor: async () => "Thông báo" } as unknown as OutboxText;
  sender = new OutboxSender(temp.db.sql, new Map([["telegram", notify]]), words, () => new Date(), {
    workers: 1,
    leaseMs: 60_000,
    quietHours: parseQuietHours("00:00-00:00"),
    maxAttempts: 3,
    senderId: "A",
  });
});
afterEach(() => temp.cleanup());

const row = () => temp.db.sql.get<{ status: string }>(`SELECT status, claimedBy, ambiguous, attempts FROM OutboxMessage`);
async function claimed() {
  while ((await row())!.status !== "sending") await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("OutboxSender.stop", () => {
  it("hands back the claim of a send that has not finished, flagged as possibly sent", async () => {
    void sender.drain();
    await claimed();
    expect(await sender.stop(50)).toBe(1);
    expect(await row()).toEqual({ status: "pending", claimedBy: "A#0", ambiguous: 1, attempts: 0 });
    // Stopping twice hands back nothing twice.
    expect(await sender.stop(50)).toBe(1);
  });

  it("records a send that finishes after the hand-back, while no one else has claimed the row", async () => {
    const draining = sender.drain();
    await claimed();
    await sender.stop(50);
    answer();
    await draining;
    expect(await row()).toMatchObject({ status: "sent", claimedBy: "A#0" });
  });

  it("leaves a row alone once another sender has claimed it", async () => {
    const draining = sender.drain();
    await claimed();
    await sender.stop(50);
    await temp.db.sql.run(`UPDATE OutboxMessage SET status = 'sending', claimedBy = 'B#0'`);
    answer();
    await draining;
    expect(await row()).toMatchObject({ status: "sending", claimedBy: "B#0" });
  });
});
