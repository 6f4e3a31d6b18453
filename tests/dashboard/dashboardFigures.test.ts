import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardFigures } from "../../src/domain/dashboard/dashboardFigures.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { addBeneficiary, addCommune, addGuardian, addIdentity } from "../broadcasts/broadcastFixture.ts";

// A small province with known data: Bắc Sơn (a1, a2, a3; a guardian of a2 and a3) and Tràng Định (b1).
// December 2026 in Vietnam runs from 2026-11-30T17:00:00Z to 2026-12-31T17:00:00Z.
const NOW = new Date("2026-12-10T03:00:00Z");
const HOUR = 3600_000;
let t: TempDatabase;
let bacSon: number;
let trangDinh: number;
const sql = () => t.db.sql;

beforeAll(async () => {
  t = await tempDatabase();
  bacSon = await addCommune(sql(), "Bắc Sơn");
  trangDinh = await addCommune(sql(), "Tràng Định");
  const [a1, a2, a3] = [await addBeneficiary(sql(), { communeId: bacSon }), await addBeneficiary(sql(), { communeId: bacSon }), await addBeneficiary(sql(), { communeId: bacSon })];
  const b1 = await addBeneficiary(sql(), { communeId: trangDinh });
  const guardian = await addGuardian(sql(), [a2, a3]);
  await addIdentity(sql(), { channel: "telegram", externalId: "t1", beneficiaryId: a1 });
  await addIdentity(sql(), { channel: "ussd", externalId: "+84910000001", beneficiaryId: a1 });
  await addIdentity(sql(), { channel: "zalo", externalId: "z1", guardianId: guardian });
  await addIdentity(sql(), { channel: "telegram", externalId: "t4", beneficiaryId: b1 });
  await addIdentity(sql(), { channel: "telegram", externalId: "t5" }); // never identified: not a person of any commune
  await addIdentity(sql(), { channel: "zalo", externalId: "z6", beneficiaryId: a3 }); // silent all month

  const said = (channel: string, externalId: string, at: string) =>
    sql().run(`INSERT INTO MessageLog (channel, externalId, direction, text, createdAt) VALUES (?, ?, 'in', 'menu', ?)`, [channel, externalId, at]);
  await said("telegram", "t1", "2026-12-03T02:00:00.000+00:00");
  await said("telegram", "t1", "2026-12-03T02:01:00.000+00:00");
  await said("ussd", "+84910000001", "2026-11-30T16:59:59.000+00:00"); // 23:59:59 on 30 November in Vietnam
  await said("zalo", "z1", "2026-11-30T17:00:00.000+00:00"); // midnight, 1 December in Vietnam
  await said("telegram", "t4", "2026-12-05T02:00:00.000+00:00");
  await said("telegram", "t5", "2026-12-05T02:00:00.000+00:00");

  const at = "2026-11-01T00:00:00.000+00:00";
  for (const [period, id] of [["2026-11", 1], ["2026-12", 2]] as const) await sql().run(`INSERT INTO PaymentPeriod (id, period, importedAt) VALUES (?, ?, ?)`, [id, period, at]);
  const pay = (beneficiaryId: number, periodId: number, amount: number, status: string) =>
    sql().run(`INSERT INTO Payment (beneficiaryId, periodId, amount, method, payDate, status, createdAt, updatedAt) VALUES (?, ?, ?, 'cash', '2026-12-05', ?, ?, ?)`, [
      beneficiaryId,
      periodId,
      amount,
      status,
      at,
      at,
    ]);
  await pay(a1, 2, 750_000, "scheduled");
  await pay(a2, 2, 1_250_000, "paid");
  await pay(a3, 2, 1_250_000, "failed");
  await pay(b1, 2, 500_000, "paid");
  await pay(a1, 1, 750_000, "paid");

  let n = 0;
  const message = (channel: string, to: string, beneficiaryId: number, kind: string, status: string, sentAt: string | null) =>
    sql().run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, beneficiaryId, kind, dueAt, status, sentAt, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [`test:${++n}`, channel, to, beneficiaryId, kind, at, status, sentAt, at, at],
    );
  await message("telegram", "t1", a1, "reminder_before", "sent", "2026-12-02T00:30:00.000+00:00");
  await message("ussd", "+84910000001", a1, "reminder_day", "delivered", "2026-12-04T02:00:00.000+00:00");
  await message("telegram", "t1", a1, "reminder_day", "pending", null);
  await message("zalo", "z1", a2, "reminder_before", "sent", "2026-11-28T00:30:00.000+00:00");
  await message("telegram", "t4", b1, "reminder_day", "sent", "2026-12-06T00:30:00.000+00:00");
  await message("telegram", "t1", a1, "payment_paid", "sent", "2026-12-06T00:30:00.000+00:00");

  const escalate = (beneficiaryId: number | null, status: string, createdAt: string) =>
    sql().run(
      `INSERT INTO Escalation (channel, externalId, beneficiaryId, topic, transcript, status, createdAt, updatedAt) VALUES ('telegram', 'x', ?, 'human', '[]', ?, ?, ?)`,
      [beneficiaryId, status, createdAt, at],
    );
  const opened = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR).toISOString().replace("Z", "+00:00");
  await escalate(a1, "open", opened(2));
  await escalate(a2, "claimed", opened(24));
  await escalate(a3, "open", opened(1));
  await escalate(a1, "resolved", opened(72));
  await escalate(b1, "open", opened(120));
  await escalate(null, "open", opened(48));

  const request = (reference: string, beneficiaryId: number, status: string) =>
    sql().run(
      `INSERT INTO MethodChangeRequest (reference, beneficiaryId, requestedMethod, requestedByKind, requestedById, channel, verification, status, createdAt, updatedAt)
       VALUES (?, ?, 'cash', 'beneficiary', ?, 'telegram', 'phone', ?, ?, ?)`,
      [reference, beneficiaryId, beneficiaryId, status, at, at],
    );
  await request("YCDASH0001", a1, "pending");
  await request("YCDASH0002", a2, "pending");
  await request("YCDASH0003", a3, "approved");
  await request("YCDASH0004", b1, "pending");
});
afterAll(() => t.cleanup());

const figures = async (query: Partial<Parameters<typeof dashboardFigures>[1]>) => {
  const result = await dashboardFigures(sql(), { period: "2026-12", scope: { communeIds: [bacSon] }, now: NOW, ...query });
  if (!result.ok) throw new Error(result.message);
  return result.figures;
};

describe("dashboard figures", () => {
  it("for one commune's staff: the seeded numbers, nothing of the other commune", async () => {
    expect(await figures({})).toEqual({
      period: "2026-12",
      from: new Date("2026-11-30T17:00:00Z"),
      to: new Date("2026-12-31T17:00:00Z"),
      communeIds: [bacSon],
      // t1 wrote; z1 (the guardian) wrote at midnight on 1 December; the USSD phone wrote on 30 November but was shown a reminder in December.
      peopleReached: { telegram: 1, zalo: 1, ussd: 1, total: 3 },
      // The lines t1 and the guardian's z1 wrote in December (the USSD line was on 30 November).
      messages: { byChannel: { telegram: 2, zalo: 1, ussd: 0, sms: 0, voice: 0, total: 3 }, deleted: 0, deletedNotCounted: false },
      payments: {
        scheduled: { count: 1, amount: 750_000 },
        paid: { count: 1, amount: 1_250_000 },
        failed: { count: 1, amount: 1_250_000 },
        returned: { count: 0, amount: 0 },
        total: { count: 3, amount: 3_250_000 },
      },
      reminders: { sent: 1, delivered: 1, byChannel: { telegram: 1, zalo: 0, ussd: 1, total: 2 } },
      voiceCalls: { answered: 0, no_answer: 0, busy: 0, failed: 0, pending: 0 },
      // Waiting 24 h (claimed), 2 h and 1 h: the median is 2 h.
      escalations: { open: 3, unclaimed: 2, oldestWaitingMs: 24 * HOUR, medianWaitingMs: 2 * HOUR },
      pendingMethodChanges: 2,
      sms: { sent: 0, delivered: 0, failed: 0 },
    });
  });

  it("for the whole province, and for one commune of it", async () => {
    const all = await figures({ scope: { communeIds: "all" } });
    expect(all.peopleReached).toEqual({ telegram: 2, zalo: 1, ussd: 1, total: 4 });
    // Every line of December, the caller never identified (t5) too.
    expect(all.messages.byChannel).toEqual({ telegram: 4, zalo: 1, ussd: 0, sms: 0, voice: 0, total: 5 });
    expect(all.payments.paid).toEqual({ count: 2, amount: 1_750_000 });
    expect(all.payments.total).toEqual({ count: 4, amount: 3_750_000 });
    expect(all.reminders).toEqual({ sent: 2, delivered: 1, byChannel: { telegram: 2, zalo: 0, ussd: 1, total: 3 } });
    // With the unidentified caller's escalation: 120 h, 48 h, 24 h, 2 h, 1 h.
    expect(all.escalations).toEqual({ open: 5, unclaimed: 4, oldestWaitingMs: 120 * HOUR, medianWaitingMs: 24 * HOUR });
    expect(all.pendingMethodChanges).toBe(3);

    const one = await figures({ scope: { communeIds: "all" }, communeId: trangDinh });
    expect(one).toMatchObject({
      communeIds: [trangDinh],
      peopleReached: { telegram: 1, zalo: 0, ussd: 0, total: 1 },
      messages: { byChannel: { telegram: 1, total: 1 } },
      payments: { total: { count: 1, amount: 500_000 } },
      escalations: { open: 1, medianWaitingMs: 120 * HOUR },
      pendingMethodChanges: 1,
    });
  });

  it("counts another period on its own, and takes the middle two for an even number of waits", async () => {
    const november = await figures({ period: "11/2026" });
    expect(november.peopleReached).toEqual({ telegram: 0, zalo: 1, ussd: 1, total: 2 });
    expect(november.payments.total).toEqual({ count: 1, amount: 750_000 });
    expect(november.reminders).toEqual({ sent: 1, delivered: 0, byChannel: { telegram: 0, zalo: 1, ussd: 0, total: 1 } });
    await sql().run(`UPDATE Escalation SET status = 'resolved' WHERE id = 3`);
    expect((await figures({})).escalations).toEqual({ open: 2, unclaimed: 1, oldestWaitingMs: 24 * HOUR, medianWaitingMs: 13 * HOUR });
    await sql().run(`UPDATE Escalation SET status = 'resolved' WHERE beneficiaryId IS NOT NULL`);
    expect((await figures({})).escalations).toEqual({ open: 0, unclaimed: 0, oldestWaitingMs: null, medianWaitingMs: null });
  });

  it("refuses a commune outside the scope and a period that is not one", async () => {
    expect(await dashboardFigures(sql(), { period: "2026-12", scope: { communeIds: [bacSon] }, communeId: trangDinh })).toMatchObject({ ok: false, error: "not_found" });
    expect(await dashboardFigures(sql(), { period: "2026-13", scope: { communeIds: [bacSon] } })).toMatchObject({ ok: false, error: "invalid" });
    expect(await dashboardFigures(sql(), { period: "December", scope: { communeIds: "all" } })).toMatchObject({ ok: false, error: "invalid" });
  });
});
