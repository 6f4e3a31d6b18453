import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "../../src/db/database.ts";
import { EscalationDesk } from "../../src/domain/escalations/escalationDesk.ts";
import type { EscalationEvent } from "../../src/domain/escalations/escalationEvents.ts";
import { EscalationEvents } from "../../src/domain/escalations/escalationEvents.ts";
import { PaymentStore } from "../../src/domain/store/paymentStore.ts";
import { PeopleStore } from "../../src/domain/store/peopleStore.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { insertOpenEscalation } from "./openEscalation.ts";

// The desks of two instances, each on its own connection to one database (twoInstances.test.ts
// does the same with whole services): the queries and the activity order on either database.
// A's clock is an hour behind B's.
const HOUR = 60 * 60_000;
let temp: TempDatabase;
let second: AppDatabase;
let a: EscalationDesk;
let b: EscalationDesk;

beforeAll(async () => {
  temp = await tempDatabase();
  second = await openDatabase(temp.url);
  const desk = (db: AppDatabase, clock: () => Date) =>
    new EscalationDesk({ sql: db.sql, events: new EscalationEvents(), people: new PeopleStore(db.sql), payments: new PaymentStore(db.sql), clock });
  a = desk(temp.db, () => new Date(Date.now() - HOUR));
  b = desk(second, () => new Date());
});
afterAll(async () => {
  await second?.close();
  await temp.cleanup();
});

/** An escalation from zalo left open two hours ago. */
const openEscalation = (externalId: string) => insertOpenEscalation(temp.db.sql, "zalo", externalId, new Date(Date.now() - 2 * HOUR));

describe("two desks on one database", () => {
  it("orders changes as they commit, whatever the clocks, and relays them to the other desk's pages", async () => {
    const first = await openEscalation("5101");
    const later = await openEscalation("5102");
    const seen: EscalationEvent[] = [];
    const stop = b.events.subscribe((event) => seen.push(event));
    try {
      await b.relay.tick();
      const cursor = await b.latestCursor();
      expect((await b.claim(first, "lan")).ok).toBe(true);
      const afterB = await b.changesSince(cursor);
      expect(afterB.escalations.map((e) => e.id)).toEqual([first]);
      expect((await a.claim(later, "minh")).ok).toBe(true);
      expect((await a.claim(first, "minh"))).toMatchObject({ ok: false, error: "claimed_by_other", assignedTo: "lan" });
      const afterA = await b.changesSince(afterB.cursor);
      expect(afterA.escalations.map((e) => [e.id, e.assignedTo])).toEqual([[later, "minh"]]);
      await b.relay.tick();
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen.filter((e) => e.id === later)).toEqual([expect.objectContaining({ type: "escalation.updated", status: "claimed" })]);
      // The queues and the detail read the same on either desk.
      expect((await b.mine("minh")).map((e) => e.id)).toEqual([later]);
      expect(await b.counts("lan")).toEqual({ unassigned: 0, mine: 1, all: 2, resolved: 0 });
      expect((await a.reply(later, "minh", "Chào bác, số 0912345678")).ok).toBe(true);
      const detail = await b.detail(later);
      expect(detail!.conversation.map((e) => [e.kind, e.text])).toEqual([
        ["system", "claimed"],
        ["operator_reply", "Chào bác, số ***5678"],
      ]);
      expect((await b.resolve(first, "lan", "Xong")).ok).toBe(true);
      expect((await a.resolved({ communeIds: [] })).map((e) => e.id)).toEqual([]);
      expect((await a.resolved()).map((e) => e.id)).toEqual([first]);
    } finally {
      stop();
    }
  });
});
