import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "../../../src/db/database.ts";
import { sqlTimestamp } from "../../../src/db/sql/sqlTimestamp.ts";
import type { Sql } from "../../../src/db/sql/sql.ts";
import { ChatInbound } from "../../../src/channels/chat/chatInbound.ts";
import type { ChatAdapter, ChatEvent } from "../../../src/channels/chat/chatAdapter.ts";
import { INBOUND_CLAIM_MS, InboundLog } from "../../../src/channels/chat/inboundLog.ts";
import type { ConversationService } from "../../../src/domain/conversationService.ts";
import { tempDatabase, type TempDatabase } from "../../helpers/tempDatabase.ts";

// Two service instances on one database, each with its own connection and its own retry loop. An
// update left pending (its instance died, or its answer could not be sent) is answered by one of them.
interface Update {
  id: string;
  user: string;
  text: string;
}

let temp: TempDatabase;
let second: AppDatabase;
let now: Date;
const stepsRun: string[] = [];
const delivered: string[] = [];

/** What one instance needs: the platform (delivery counted) and a conversation that takes a moment to answer. */
function instance(sql: Sql): ChatInbound<Update, string> {
  const adapter = {
    channel: "telegram",
    normalize: (update: Update): ChatEvent => ({ updateKey: update.id, userId: update.user, kind: "text", text: update.text }),
    renderer: {},
    deliver: async (event: ChatEvent, output: string) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      delivered.push(`${event.updateKey}:${output}`);
    },
    notify: async () => undefined,
  } as unknown as ChatAdapter<Update, string>;
  const conversations = {
    handle: async (inbound: { requestKey: string }) => {
      stepsRun.push(inbound.requestKey);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { output: "answer", reply: {}, ended: false };
    },
  } as unknown as ConversationService;
  return new ChatInbound(adapter, conversations, new InboundLog(sql), sql, () => now);
}

async function leftPending(id: string, status = "pending", answer: string | null = null): Promise<void> {
  const at = sqlTimestamp(new Date(now.getTime() - 60_000));
  await temp.db.sql.run(`INSERT INTO InboundUpdate (channel, updateKey, payload, status, answer, attempts, receivedAt) VALUES ('telegram', ?, ?, ?, ?, 1, ?)`, [
    id,
    JSON.stringify({ id, user: `u-${id}`, text: "1" }),
    status,
    answer,
    at,
  ]);
}

const status = async (id: string) => (await temp.db.sql.get<{ status: string }>(`SELECT status FROM InboundUpdate WHERE updateKey = ?`, [id]))?.status;

beforeEach(async () => {
  stepsRun.length = 0;
  delivered.length = 0;
  now = new Date();
  temp = await tempDatabase();
  second = await openDatabase(temp.url);
});
afterEach(async () => {
  await second.close();
  await temp.cleanup();
});

describe("retrying pending chat updates with two instances", () => {
  it("answers a pending update once when both retry loops run at the same moment", async () => {
    await leftPending("u1");
    await leftPending("u2", "answered", JSON.stringify("stored answer"));
    const [a, b] = [instance(temp.db.sql), instance(second.sql)];
    const taken = await Promise.all([a.retryPending(0), b.retryPending(0)]);
    expect(taken[0] + taken[1]).toBe(2);
    expect(stepsRun).toEqual(["telegram:u1"]); // u2 was answered already: only its answer is sent
    expect(delivered.sort()).toEqual(["u1:answer", "u2:stored answer"]);
    expect([await status("u1"), await status("u2")]).toEqual(["done", "done"]);
    // Nothing is left for another round.
    expect(await Promise.all([a.retryPending(0), b.retryPending(0)])).toEqual([0, 0]);
    expect(delivered).toHaveLength(2);
  });

  it("leaves an update the receiving instance is handling to it, until its hold runs out", async () => {
    const [a, b] = [instance(temp.db.sql), instance(second.sql)];
    const received = await a.receive({ id: "u3", user: "u-3", text: "1" });
    expect(received.status).toBe("accepted");
    expect(await b.retryPending(0)).toBe(0);
    await received.handled;
    expect(delivered).toEqual(["u3:answer"]);

    // An instance that died holding an update: another takes it once the hold has run out.
    await temp.db.sql.run(`INSERT INTO InboundUpdate (channel, updateKey, payload, status, attempts, receivedAt, claimedUntil) VALUES ('telegram', 'u4', ?, 'pending', 0, ?, ?)`, [
      JSON.stringify({ id: "u4", user: "u-4", text: "1" }),
      sqlTimestamp(now),
      sqlTimestamp(new Date(now.getTime() + INBOUND_CLAIM_MS)),
    ]);
    expect(await b.retryPending(0)).toBe(0);
    now = new Date(now.getTime() + INBOUND_CLAIM_MS + 1_000);
    expect(await b.retryPending(0)).toBe(1);
    expect(delivered).toEqual(["u3:answer", "u4:answer"]);
    expect(await status("u4")).toBe("done");
  });
});
