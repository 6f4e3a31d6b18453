import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";

// The queues an operator works from, on escalations opened by real USSD calls.
let server: TestServer;
/** How far the service's clock is ahead of the wall clock: lets a test make time pass. */
let ahead = 0;
const ids: Record<string, number> = {};

beforeAll(async () => {
  server = await startTestServer({ clock: () => new Date(Date.now() + ahead) });
  // Bắc Sơn, then Tràng Định, then a caller nobody identified (no commune).
  for (const [name, phone, inputs] of [
    ["an", "+84912345678", ["6", "1"]],
    ["son", "+84388999000", ["6", "1"]],
    ["unknown", "+84905000111", ["gap can bo", "1"]],
  ] as const) {
    const caller = new UssdCaller(server.baseUrl, phone);
    await caller.freshDial();
    await caller.pressAll(...inputs);
    ids[name] = (server.services.db.sqlite.prepare(`SELECT id FROM Escalation WHERE externalId = ?`).get(phone) as { id: number }).id;
  }
});
afterAll(async () => {
  await server.close();
});

const desk = () => server.services.escalations;
const communeOf = (name: string) => (server.services.db.sqlite.prepare(`SELECT id FROM Commune WHERE name = ?`).get(name) as { id: number }).id;

describe("the operator's queues", () => {
  it("lists the unassigned oldest first, with how long each has waited", () => {
    ahead += 90_000;
    const unassigned = desk().unassigned();
    expect(unassigned.map((e) => e.id)).toEqual([ids.an, ids.son, ids.unknown]);
    for (const e of unassigned) expect(e.waitingSeconds).toBeGreaterThanOrEqual(90);
    expect(unassigned[2]).toMatchObject({ beneficiaryId: null, personName: null, communeId: null, channel: "ussd" });
  });

  it("shows commune staff only the escalations of their communes", () => {
    expect(desk().unassigned({ communeIds: [communeOf("Bắc Sơn")] }).map((e) => e.id)).toEqual([ids.an]);
    expect(desk().all({ communeIds: [communeOf("Tràng Định")] }).map((e) => e.id)).toEqual([ids.son]);
    expect(desk().all({ communeIds: [] })).toEqual([]);
  });

  it("polls for what changed after a cursor, and refuses a cursor it did not give", () => {
    const start = desk().changesSince(null);
    expect(start.escalations.map((e) => e.id)).toEqual([ids.an, ids.son, ids.unknown]);
    expect(desk().changesSince(start.cursor)).toEqual({ escalations: [], cursor: start.cursor });

    ahead += 1000;
    expect(desk().claim(ids.son, "lan").ok).toBe(true);
    const afterClaim = desk().changesSince(start.cursor);
    expect(afterClaim.escalations.map((e) => [e.id, e.status, e.assignedTo])).toEqual([[ids.son, "claimed", "lan"]]);

    ahead += 1000;
    desk().note(ids.an, "minh", "Gọi lại sau 14h");
    const afterNote = desk().changesSince(afterClaim.cursor);
    expect(afterNote.escalations.map((e) => e.id)).toEqual([ids.an]);
    // A page of one at a time still sees every change, in order.
    const first = desk().changesSince(start.cursor, { limit: 1 });
    expect(first.escalations.map((e) => e.id)).toEqual([ids.son]);
    expect(desk().changesSince(first.cursor, { limit: 1 }).escalations.map((e) => e.id)).toEqual([ids.an]);

    expect(() => desk().changesSince("not-a-cursor")).toThrow(/is not a cursor changesSince gave/);
  });

  it("sorts claimed escalations into mine and all, and resolved ones apart", () => {
    expect(desk().mine("lan").map((e) => e.id)).toEqual([ids.son]);
    expect(desk().unassigned().map((e) => e.id)).toEqual([ids.an, ids.unknown]);
    expect(desk().all().map((e) => e.id).sort()).toEqual([ids.an, ids.son, ids.unknown].sort());
    // An open escalation may be resolved without a claim (a wrong number, a duplicate).
    expect(desk().resolve(ids.unknown, "minh", "Gọi nhầm")).toMatchObject({ ok: true, escalation: { status: "resolved", assignedTo: "minh" } });
    expect(desk().resolved().map((e) => e.id)).toEqual([ids.unknown]);
    expect(desk().all().map((e) => e.id)).not.toContain(ids.unknown);
  });

  it("refuses what an operator may not do, saying why", () => {
    expect(desk().reply(ids.an, "lan", "Chào bác")).toMatchObject({ ok: false, error: "not_claimed" });
    expect(desk().handBack(ids.an, "lan")).toMatchObject({ ok: false, error: "not_claimed" });
    expect(desk().reply(ids.son, "minh", "Chào bác")).toMatchObject({ ok: false, error: "claimed_by_other", assignedTo: "lan" });
    expect(desk().reply(ids.son, "lan", "   ")).toMatchObject({ ok: false, error: "invalid" });
    expect(desk().reply(ids.son, "lan", "x".repeat(1001))).toMatchObject({ ok: false, error: "invalid", message: expect.stringContaining("1001") });
    expect(desk().note(ids.son, "lan", "")).toMatchObject({ ok: false, error: "invalid" });
    expect(desk().claim(ids.an, " ")).toMatchObject({ ok: false, error: "invalid" });
    expect(desk().claim(999_999, "lan")).toMatchObject({ ok: false, error: "not_found" });
    expect(desk().claim(ids.unknown, "lan")).toMatchObject({ ok: false, error: "resolved" });
    // Claiming one's own escalation again changes nothing.
    expect(desk().claim(ids.son, "lan")).toMatchObject({ ok: true, escalation: { assignedTo: "lan" } });
    const claims = server.services.db.sqlite.prepare(`SELECT COUNT(*) AS n FROM AuditLog WHERE action = 'escalation.claimed' AND entityId = ?`).get(String(ids.son));
    expect(claims).toEqual({ n: 1 });
    // Refusals write nothing.
    expect(server.services.db.sqlite.prepare(`SELECT COUNT(*) AS n FROM EscalationMessage WHERE escalationId = ? AND kind = 'operator_reply'`).get(ids.son)).toEqual({ n: 0 });
  });
});
