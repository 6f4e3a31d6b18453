import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import type { Sql } from "../../src/db/sql/sql.ts";
import { planReminders } from "../../src/domain/outbox/planReminders.ts";
import { TEST_DIALECT, tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// planReminders on its own, on the suite's database (SQLite, or PostgreSQL with TEST_DATABASE=postgres):
// its date arithmetic is written twice, once per database, and both must give the same times.
let temp: TempDatabase;
let sql: Sql;
let paymentId: number;
let identityId: number;
const now = new Date("2026-11-29T03:00:00Z"); // 10:00 in Vietnam
const schedule = { daysBefore: 3, deliveryTime: "07:30" };

beforeEach(async () => {
  temp = await tempDatabase();
  sql = temp.db.sql;
  const at = sqlTimestamp(now);
  const commune = (await sql.get<{ id: number }>(`INSERT INTO Commune (key, name, updatedAt) VALUES ('ban chu', 'Bản Chu', ?) RETURNING id`, [at]))!.id;
  const beneficiary = (await sql.get<{ id: number }>(
    `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, updatedAt) VALUES ('T-1', 'Người Thử', '1950-01-01', ?, 'elderly', ?) RETURNING id`,
    [commune, at],
  ))!.id;
  const period = (await sql.get<{ id: number }>(`INSERT INTO PaymentPeriod (period) VALUES ('2026-12') RETURNING id`))!.id;
  paymentId = (await sql.get<{ id: number }>(
    `INSERT INTO Payment (beneficiaryId, periodId, amount, method, payDate, updatedAt) VALUES (?, ?, 1000000, 'cash', '2026-12-05', ?) RETURNING id`,
    [beneficiary, period, at],
  ))!.id;
  identityId = (await sql.get<{ id: number }>(
    `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, updatedAt) VALUES ('telegram', '7001', ?, ?) RETURNING id`,
    [beneficiary, at],
  ))!.id;
});
afterEach(() => temp.cleanup());

const reminders = () => sql.all(`SELECT kind, dueAt, status FROM OutboxMessage ORDER BY kind DESC`);
const setPayDate = (payDate: string) => sql.run(`UPDATE Payment SET payDate = ? WHERE id = ?`, [payDate, paymentId]);

describe("planReminders", () => {
  it("plans the days-before and pay-day reminders at the local delivery time, as UTC, once", async () => {
    expect(await planReminders(sql, schedule, now)).toEqual({ planned: 2, cancelled: 0 });
    expect(await reminders()).toEqual([
      { kind: "reminder_day", dueAt: "2026-12-05T00:30:00.000+00:00", status: "pending" },
      { kind: "reminder_before", dueAt: "2026-12-02T00:30:00.000+00:00", status: "pending" },
    ]);
    expect(await planReminders(sql, schedule, now)).toEqual({ planned: 0, cancelled: 0 });
    expect(await reminders()).toHaveLength(2);
  });

  it("falls on the UTC day before when the local time is before 07:00", async () => {
    await planReminders(sql, { daysBefore: 1, deliveryTime: "06:15" }, now);
    expect(await reminders()).toEqual([
      { kind: "reminder_day", dueAt: "2026-12-04T23:15:00.000+00:00", status: "pending" },
      { kind: "reminder_before", dueAt: "2026-12-03T23:15:00.000+00:00", status: "pending" },
    ]);
  });

  it("follows a moved pay date; a days-before reminder whose time has passed is due now", async () => {
    await planReminders(sql, schedule, now);
    await setPayDate("2026-12-01");
    expect((await planReminders(sql, schedule, now)).planned).toBe(2);
    expect(await reminders()).toEqual([
      { kind: "reminder_day", dueAt: "2026-12-01T00:30:00.000+00:00", status: "pending" },
      { kind: "reminder_before", dueAt: sqlTimestamp(now), status: "pending" },
    ]);
    expect((await planReminders(sql, schedule, now)).planned).toBe(0);
  });

  it("cancels the reminders of a person who turned them off, and plans them again when turned back on", async () => {
    await planReminders(sql, schedule, now);
    await sql.run(`UPDATE ChannelIdentity SET remindersOn = ? WHERE id = ?`, [false, identityId]);
    expect(await planReminders(sql, schedule, now)).toEqual({ planned: 0, cancelled: 2 });
    expect((await reminders()).map((r) => r.status)).toEqual(["cancelled", "cancelled"]);
    await sql.run(`UPDATE ChannelIdentity SET remindersOn = ? WHERE id = ?`, [true, identityId]);
    expect(await planReminders(sql, schedule, now)).toEqual({ planned: 2, cancelled: 0 });
    expect((await reminders()).map((r) => r.status)).toEqual(["pending", "pending"]);
  });

  // Several instances share a database only on PostgreSQL (two SQLite connections in one test
  // process would wait on each other's write lock with the thread blocked).
  it.runIf(TEST_DIALECT === "postgres")("plans each reminder once when two instances plan at the same moment", async () => {
    const other = await openDatabase(temp.url);
    try {
      const results = await Promise.all([planReminders(sql, schedule, now), planReminders(other.sql, schedule, now)]);
      expect(results.reduce((sum, r) => sum + r.planned, 0)).toBe(2);
      expect(await reminders()).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});
