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
    ids[name] = (await server.services.db.sql.get<{ id: number }>(`SELECT id FROM Escalation WHERE externalId = ?`, [phone]))!.id;
  }
});
afterAll(async () => {
  await server.close();
});

const desk = () => server.services.escalations;
const communeOf = async (name: string) => (await server.services.db.sql.get<{ id: number }>(`SELECT id FROM Commune WHERE name = ?`, [name]))!.id;

describe("the operator's queues", () => {
  it("lists the unassigned oldest first, with how long each has waited", async () => {
    ahead += 90_000;
    const unassigned = (await desk().unassigned());
    expect(unassigned.map((e) => e.id)).toEqual([ids.an, ids.son, ids.unknown]);
    for (const e of unassigned) expect(e.waitingSeconds).toBeGreaterThanOrEqual(90);
    expect(unassigned[2]).toMatchObject({ beneficiaryId: null, personName: null, communeId: null, channel: "ussd" });
  });

  it("shows commune staff only the escalations of their communes", async () => {
    expect((await desk().unassigned({ communeIds: [await communeOf("Bắc Sơn")] })).map((e) => e.id)).toEqual([ids.an]);
    expect((await desk().all({ communeIds: [await communeOf("Tràng Định")] })).map((e) => e.id)).toEqual([ids.son]);
    expect((await desk().all({ communeIds: [] }))).toEqual([]);
  });

  it("polls for what changed after a cursor, and refuses a cursor it did not give", async () => {
    const start = (await desk().changesSince(null));
    expect(start.escalations.map((e) => e.id)).toEqual([ids.an, ids.son, ids.unknown]);
    expect((await desk().changesSince(start.cursor))).toEqual({ escalations: [], cursor: start.cursor });

    ahead += 1000;
    expect((await desk().claim(ids.son, "lan")).ok).toBe(true);
    const afterClaim = (await desk().changesSince(start.cursor));
    expect(afterClaim.escalations.map((e) => [e.id, e.status, e.assignedTo])).toEqual([[ids.son, "claimed", "lan"]]);

    ahead += 1000;
    await desk().note(ids.an, "minh", "Gọi lại sau 14h");
    const afterNote = (await desk().changesSince(afterClaim.cursor));
    expect(afterNote.escalations.map((e) => e.id)).toEqual([ids.an]);
    // A page of one at a time still sees every change, in order.
    const first = (await desk().changesSince(start.cursor, { limit: 1 }));
    expect(first.escalations.map((e) => e.id)).toEqual([ids.son]);
    expect((await desk().changesSince(first.cursor, { limit: 1 })).escalations.map((e) => e.id)).toEqual([ids.an]);

    await expect(desk().changesSince("not-a-cursor")).rejects.toThrow(/is not a cursor changesSince gave/);
  });

  it("sorts claimed escalations into mine and all, and resolved ones apart", async () => {
    expect((await desk().mine("lan")).map((e) => e.id)).toEqual([ids.son]);
    expect((await desk().unassigned()).map((e) => e.id)).toEqual([ids.an, ids.unknown]);
    expect((await desk().all()).map((e) => e.id).sort()).toEqual([ids.an, ids.son, ids.unknown].sort());
    // An open escalation may be resolved without a claim (a wrong number, a duplicate).
    expect((await desk().resolve(ids.unknown, "minh", "Gọi nhầm"))).toMatchObject({ ok: true, escalation: { status: "resolved", assignedTo: "minh" } });
    expect((await desk().resolved()).map((e) => e.id)).toEqual([ids.unknown]);
    expect((await desk().all()).map((e) => e.id)).not.toContain(ids.unknown);
  });

  it("refuses what an operator may not do, saying why", async () => {
    expect((await desk().reply(ids.an, "lan", "Chào bác"))).toMatchObject({ ok: false, error: "not_claimed" });
    expect((await desk().handBack(ids.an, "lan"))).toMatchObject({ ok: false, error: "not_claimed" });
    expect((await desk().reply(ids.son, "minh", "Chào bác"))).toMatchObject({ ok: false, error: "claimed_by_other", assignedTo: "lan" });
    expect((await desk().reply(ids.son, "lan", "   "))).toMatchObject({ ok: false, error: "invalid" });
    expect((await desk().reply(ids.son, "lan", "x".repeat(1001)))).toMatchObject({ ok: false, error: "invalid", message: expect.stringContaining("1001") });
    expect((await desk().note(ids.son, "lan", ""))).toMatchObject({ ok: false, error: "invalid" });
    expect((await desk().claim(ids.an, " "))).toMatchObject({ ok: false, error: "invalid" });
    expect((await desk().claim(999_999, "lan"))).toMatchObject({ ok: false, error: "not_found" });
    expect((await desk().claim(ids.unknown, "lan"))).toMatchObject({ ok: false, error: "resolved" });
    // Claiming one's own escalation again changes nothing.
    expect((await desk().claim(ids.son, "lan"))).toMatchObject({ ok: true, escalation: { assignedTo: "lan" } });
    const claims = await server.services.db.sql.get(`SELECT COUNT(*) AS n FROM AuditLog WHERE action = 'escalation.claimed' AND entityId = ?`, [String(ids.son)]);
    expect(claims).toEqual({ n: 1 });
    // Refusals write nothing.
    expect(await server.services.db.sql.get(`SELECT COUNT(*) AS n FROM EscalationMessage WHERE escalationId = ? AND kind = 'operator_reply'`, [ids.son])).toEqual({ n: 0 });
  });
});
