import { audit } from "../audit.ts";
import { BENEFICIARY_FROM_LIST_COLUMNS, type BeneficiaryRecord, type PaymentRecord } from "./existingRecords.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { PAYMENT_FROM_LIST_COLUMNS } from "../store/columnSets.ts";

type Params = Record<string, string | number | null | undefined>;

/**
 * The SQL the payment-list import writes with, the same text on SQLite and PostgreSQL. Raw
 * statements rather than Prisma: a statement runs in ~10 µs against ~300 µs for a Prisma call
 * (toolchain.md), which is the difference between seconds and minutes for 100,000 rows. DateTime
 * columns get `sqlTimestamp` text (passed in as @now). Every INSERT returns the new row's id.
 */
const SQL = {
  insertCommune: `INSERT INTO Commune (key, name, district, oldName, createdAt, updatedAt)
    VALUES (@key, @name, @district, @oldName, @now, @now) RETURNING id`,
  fillCommune: `UPDATE Commune SET district = COALESCE(district, @district), oldName = COALESCE(oldName, @oldName), updatedAt = @now
    WHERE id = @id`,
  updateBeneficiary: `UPDATE Beneficiary SET fullName = @fullName, dateOfBirth = @dateOfBirth, sex = @sex,
      citizenIdHash = @citizenIdHash, citizenIdLast4 = @citizenIdLast4, phone = @phone, communeId = @communeId, village = @village,
      category = @category, coefficient = @coefficient, monthlyAmount = @monthlyAmount, paymentMethod = @paymentMethod,
      accountProvider = @accountProvider, accountNumberSealed = @accountNumberSealed, accountLast4 = @accountLast4,
      payPoint = @payPoint, updatedAt = @now
    WHERE id = @id`,
  insertGuardian: `INSERT INTO Guardian (fullName, phone, citizenIdHash, citizenIdLast4, createdAt, updatedAt)
    VALUES (@fullName, @phone, @citizenIdHash, @citizenIdLast4, @now, @now) RETURNING id`,
  updateGuardian: `UPDATE Guardian SET fullName = @fullName, phone = @phone, citizenIdHash = @citizenIdHash,
      citizenIdLast4 = @citizenIdLast4, updatedAt = @now
    WHERE id = @id`,
  insertLink: `INSERT INTO GuardianLink (guardianId, beneficiaryId, relation, createdAt)
    VALUES (@guardianId, @beneficiaryId, @relation, @now) RETURNING id`,
  updateLink: `UPDATE GuardianLink SET relation = @relation WHERE id = @id`,
  insertPeriod: `INSERT INTO PaymentPeriod (period, importedAt) VALUES (@period, @now) RETURNING id`,
  // Never status, paidAt or reference: a later list must not undo a recorded result.
  updatePayment: `UPDATE Payment SET amount = @amount, backPay = @backPay, method = @method, accountProvider = @accountProvider,
      accountLast4 = @accountLast4, payDate = @payDate, payPoint = @payPoint, updatedAt = @now
    WHERE id = @id`,
} as const;

type StatementName = keyof typeof SQL;
type InsertName = Extract<StatementName, `insert${string}`>;
type UpdateName = Exclude<StatementName, InsertName>;

/** A change to a record that existed before the import, as the audit log keeps it. */
interface ImportAuditEntry {
  /** `import-run:<id>`: the ImportRun row names the actor. */
  actorId: string;
  action: string;
  entity: string;
  entityId: number;
  before: object | null;
  after: object;
  at: Date;
}

/** A new payment, as `insertPayments` writes it (status 'scheduled'). */
export interface NewPayment extends Omit<PaymentRecord, "id"> {
  beneficiaryId: number;
  periodId: number;
}

const PAYMENT_COLUMNS = ["beneficiaryId", "periodId", ...PAYMENT_FROM_LIST_COLUMNS] as const;

/**
 * One INSERT for many rows (`VALUES (…), (…)`, the same text on both databases), with createdAt
 * and updatedAt (and `fixed` columns) added to each. Every row of a list creates a payment, and
 * every row of a first list a beneficiary: one statement per batch instead of one per row is what
 * matters on PostgreSQL, where each statement is a round trip to the server.
 */
function insertMany(
  table: string,
  columns: readonly string[],
  fixed: Record<string, string>,
  count: number,
  returning: string,
): string {
  const names = [...columns, ...Object.keys(fixed), "createdAt", "updatedAt"].join(", ");
  const values = `(${[...columns.map(() => "?"), ...Object.values(fixed), "?", "?"].join(", ")})`;
  return `INSERT INTO ${table} (${names}) VALUES ${Array(count).fill(values).join(", ")} RETURNING ${returning}`;
}

function manyParams<T>(rows: readonly T[], columns: readonly (keyof T)[], now: string): unknown[] {
  return rows.flatMap((row) => [...columns.map((c) => row[c]), now, now]);
}

/** Where the import's writes go: the database, or nowhere in a dry run (with stand-in ids). */
export interface RecordStore {
  /** Runs an INSERT and returns the new row's id. */
  insert(name: InsertName, params: Params): Promise<number>;
  /** Inserts the payments in one statement; returns their ids in the order given. */
  insertPayments(payments: NewPayment[], now: string): Promise<number[]>;
  /** Inserts the beneficiaries in one statement; returns their ids in the order given. */
  insertBeneficiaries(beneficiaries: BeneficiaryRecord[], now: string): Promise<number[]>;
  run(name: UpdateName, params: Params): Promise<void>;
  audit(entry: ImportAuditEntry): Promise<void>;
}

export function databaseStore(sql: Sql): RecordStore {
  return {
    async insert(name, params) {
      const row = await sql.get<{ id: number }>(SQL[name], params);
      return Number(row!.id);
    },
    // Neither database promises RETURNING rows in VALUES order: they are matched by a unique key.
    async insertPayments(payments, now) {
      if (payments.length === 0) return [];
      const text = insertMany("Payment", PAYMENT_COLUMNS, { status: "'scheduled'" }, payments.length, "id, beneficiaryId, periodId");
      const rows = await sql.all<{ id: number; beneficiaryId: number; periodId: number }>(text, manyParams(payments, PAYMENT_COLUMNS, now));
      const idByKey = new Map(rows.map((r) => [`${r.beneficiaryId}:${r.periodId}`, Number(r.id)]));
      return payments.map((p) => idByKey.get(`${p.beneficiaryId}:${p.periodId}`)!);
    },
    async insertBeneficiaries(beneficiaries, now) {
      if (beneficiaries.length === 0) return [];
      const text = insertMany("Beneficiary", BENEFICIARY_FROM_LIST_COLUMNS, {}, beneficiaries.length, "id, code");
      const rows = await sql.all<{ id: number; code: string }>(text, manyParams(beneficiaries, BENEFICIARY_FROM_LIST_COLUMNS, now));
      const idByCode = new Map(rows.map((r) => [r.code, Number(r.id)]));
      return beneficiaries.map((b) => idByCode.get(b.code)!);
    },
    async run(name, params) {
      await sql.run(SQL[name], params);
    },
    async audit({ actorId, action, entity, entityId, before, after, at }) {
      await audit(sql, { actorKind: "import", actorId, action, entity, entityId, before, after, at });
    },
  };
}

/** A dry run computes what would change exactly as an import does, writing nothing; new records get negative ids. */
export function dryRunStore(): RecordStore {
  let nextId = -1;
  return {
    insert: async () => nextId--,
    insertPayments: async (payments) => payments.map(() => nextId--),
    insertBeneficiaries: async (beneficiaries) => beneficiaries.map(() => nextId--),
    run: async () => {},
    audit: async () => {},
  };
}
