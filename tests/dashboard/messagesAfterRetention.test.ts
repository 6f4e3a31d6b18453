import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardFigures, type DashboardFigures } from "../../src/domain/dashboard/dashboardFigures.ts";
import { applyRetention } from "../../src/domain/privacy/applyRetention.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { addBeneficiary, addCommune, addGuardian, addIdentity } from "../broadcasts/broadcastFixture.ts";

// The dashboard's "messages exchanged" of a month must not drop when the retention job deletes
// the month's lines: it adds the counts the job kept (RetentionCount) to the lines still kept.
// Runs on PostgreSQL too (TEST_DATABASE=postgres). Months are Vietnam's (UTC+7): October 2025
// runs from 2025-09-30T17:00Z to 2025-10-31T17:00Z.
const NOW = new Date("2026-12-10T19:30:00Z"); // 02:30 on 11 December in Vietnam, when the daily job runs
const RETENTION_DAYS = 365; // deletes what is older than 2025-12-10T19:30Z
let t: TempDatabase;
let bacSon: number;
const sql = () => t.db.sql;

beforeAll(async () => {
  t = await tempDatabase();
  bacSon = await addCommune(sql(), "Bắc Sơn");
  const trangDinh = await addCommune(sql(), "Tràng Định");
  const a1 = await addBeneficiary(sql(), { communeId: bacSon });
  const b1 = await addBeneficiary(sql(), { communeId: trangDinh });
  await addIdentity(sql(), { channel: "telegram", externalId: "t1", beneficiaryId: a1 });
  await addIdentity(sql(), { channel: "ussd", externalId: "+84910000001", beneficiaryId: a1 });
  await addIdentity(sql(), { channel: "zalo", externalId: "z1", guardianId: await addGuardian(sql(), [a1]) });
  await addIdentity(sql(), { channel: "telegram", externalId: "t4", beneficiaryId: b1 });
  const line = (channel: string, externalId: string, direction: "in" | "out", at: string) =>
    sql().run(`INSERT INTO MessageLog (channel, externalId, direction, text, createdAt) VALUES (?, ?, ?, 'menu', ?)`, [channel, externalId, direction, at]);
  // October 2025, in Vietnam.
  await line("telegram", "t1", "in", "2025-10-03T02:00:00.000+00:00");
  await line("telegram", "t1", "out", "2025-10-03T02:00:01.000+00:00");
  await line("ussd", "+84910000001", "in", "2025-09-30T17:00:00.000+00:00"); // midnight, 1 October in Vietnam (30 September in UTC)
  await line("zalo", "z1", "in", "2025-10-31T16:59:59.000+00:00"); // the guardian, 23:59:59 on 31 October in Vietnam
  await line("telegram", "t4", "in", "2025-10-10T02:00:00.000+00:00"); // Tràng Định
  await line("telegram", "t5", "in", "2025-10-11T02:00:00.000+00:00"); // a caller never identified
  await line("voice", "+84910000009", "in", "2025-10-12T02:00:00.000+00:00");
  // November 2025 in Vietnam, though still 31 October in UTC.
  await line("telegram", "t1", "in", "2025-10-31T17:00:00.000+00:00");
  // December 2025: the job deletes the first, keeps the second.
  await line("telegram", "t1", "in", "2025-12-03T02:00:00.000+00:00");
  await line("telegram", "t1", "in", "2025-12-20T02:00:00.000+00:00");
});
afterAll(() => t.cleanup());

async function messages(period: string, communeIds: number[] | "all"): Promise<DashboardFigures["messages"]> {
  const result = await dashboardFigures(sql(), { period, scope: { communeIds }, now: NOW });
  if (!result.ok) throw new Error(result.message);
  return result.figures.messages;
}

describe("messages exchanged, before and after the retention job", () => {
  it("stays the same for the province, month by month; a commune's figure keeps only what is kept, and says so", async () => {
    const months = ["2025-10", "2025-11", "2025-12"];
    const before = await Promise.all(months.map((m) => messages(m, "all")));
    expect(before.map((m) => m.byChannel)).toEqual([
      { telegram: 4, zalo: 1, ussd: 1, sms: 0, voice: 1, total: 7 },
      { telegram: 1, zalo: 0, ussd: 0, sms: 0, voice: 0, total: 1 },
      { telegram: 2, zalo: 0, ussd: 0, sms: 0, voice: 0, total: 2 },
    ]);
    expect(before.every((m) => m.deleted === 0 && !m.deletedNotCounted)).toBe(true);
    // Bắc Sơn's person and their guardian, on every channel; nobody of Tràng Định, nor the unknown caller.
    expect(await messages("2025-10", [bacSon])).toEqual({ byChannel: { telegram: 2, zalo: 1, ussd: 1, sms: 0, voice: 0, total: 4 }, deleted: 0, deletedNotCounted: false });

    expect(await applyRetention(sql(), { now: NOW, days: RETENTION_DAYS })).toMatchObject({ transcriptLines: 9 });
    expect(Number((await sql().get<{ n: number }>(`SELECT COUNT(*) AS n FROM MessageLog`))!.n)).toBe(1);

    const after = await Promise.all(months.map((m) => messages(m, "all")));
    expect(after.map((m) => m.byChannel)).toEqual(before.map((m) => m.byChannel));
    expect(after.map((m) => m.deleted)).toEqual([7, 1, 1]);
    expect(after.every((m) => !m.deletedNotCounted)).toBe(true);
    // The deleted lines have no commune: a commune's view counts what is kept, and flags the rest.
    expect(await messages("2025-10", [bacSon])).toEqual({ byChannel: { telegram: 0, zalo: 0, ussd: 0, sms: 0, voice: 0, total: 0 }, deleted: 0, deletedNotCounted: true });
    expect(await messages("2025-12", [bacSon])).toMatchObject({ byChannel: { telegram: 1, total: 1 }, deletedNotCounted: true });

    // The job again the next day, and a month it never touched: nothing moves.
    await applyRetention(sql(), { now: new Date(NOW.getTime() + 86_400_000), days: RETENTION_DAYS });
    expect((await Promise.all(months.map((m) => messages(m, "all")))).map((m) => m.byChannel)).toEqual(before.map((m) => m.byChannel));
    expect(await messages("2025-09", "all")).toEqual({ byChannel: { telegram: 0, zalo: 0, ussd: 0, sms: 0, voice: 0, total: 0 }, deleted: 0, deletedNotCounted: false });
  });
});
