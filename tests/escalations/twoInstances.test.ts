import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EscalationEvent } from "../../src/domain/escalations/escalationEvents.ts";
import { createServices, type Services } from "../../src/services.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { insertOpenEscalation } from "./openEscalation.ts";

// Two service instances on one database (issue 7): an operator whose console streams from
// instance B sees what was done through instance A. Instance A's clock is an hour behind B's:
// the order of changes must not depend on the instances' clocks.
let temp: TempDatabase;
let a: Services;
let b: Services;
const HOUR = 60 * 60_000;

beforeAll(async () => {
  temp = await tempDatabase();
  a = await createServices({ config: { databaseUrl: temp.url }, clock: () => new Date(Date.now() - HOUR) });
  b = await createServices({ config: { databaseUrl: temp.url } });
  await b.escalations.relay.stop(); // the tests look by hand (relay.tick), but the one about the timer
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await temp.cleanup();
});

/** An escalation from telegram left open two hours ago. */
const openEscalation = (externalId: string) => insertOpenEscalation(temp.db.sql, "telegram", externalId, new Date(Date.now() - 2 * HOUR));

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("two instances on one database", () => {
  it("tells the pages of instance B of a change made through instance A", async () => {
    const id = await openEscalation("9101");
    const seen: EscalationEvent[] = [];
    const stop = b.escalations.events.subscribe((event) => seen.push(event));
    try {
      await b.escalations.relay.tick(); // the relay starts from the latest change once someone listens
      expect((await a.escalations.claim(id, "lan")).ok).toBe(true);
      await settle();
      expect(seen).toEqual([]); // A's own event stays in A
      await b.escalations.relay.tick();
      await settle();
      expect(seen).toEqual([expect.objectContaining({ type: "escalation.updated", id, status: "claimed" })]);
      // A note through A: seen by B too, and only once.
      expect((await a.escalations.note(id, "minh", "Gọi lại sau")).ok).toBe(true);
      await b.escalations.relay.tick();
      await settle();
      expect(seen.map((e) => e.id)).toEqual([id, id]);
    } finally {
      stop();
    }
  });

  it("relays on its own, while a page listens", async () => {
    const id = await openEscalation("9102");
    const stop = b.escalations.events.subscribe(() => {});
    b.escalations.relay.start();
    try {
      const relayed = new Promise<EscalationEvent>((resolve) => {
        const off = b.escalations.events.subscribe((event) => {
          if (event.id === id) {
            off();
            resolve(event);
          }
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 2500)); // the relay has looked once: its cursor is set
      expect((await a.escalations.claim(id, "lan")).ok).toBe(true);
      expect(await relayed).toMatchObject({ type: "escalation.updated", id, status: "claimed" });
    } finally {
      await b.escalations.relay.stop();
      stop();
    }
  }, 15_000);

  it("gives a polling page every change in commit order, whatever the instances' clocks", async () => {
    const first = await openEscalation("9103");
    const second = await openEscalation("9104");
    const cursor = await b.escalations.latestCursor();
    // B (the clock an hour ahead) acts first, then A (an hour behind): A's change still comes after.
    expect((await b.escalations.claim(first, "lan")).ok).toBe(true);
    const afterB = await b.escalations.changesSince(cursor);
    expect(afterB.escalations.map((e) => e.id)).toEqual([first]);
    expect((await a.escalations.claim(second, "minh")).ok).toBe(true);
    const afterA = await b.escalations.changesSince(afterB.cursor);
    expect(afterA.escalations.map((e) => [e.id, e.assignedTo])).toEqual([[second, "minh"]]);
    expect(await b.escalations.changesSince(afterA.cursor)).toEqual({ escalations: [], cursor: afterA.cursor });
  });
});
