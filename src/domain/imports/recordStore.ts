import type Database from "better-sqlite3";

type Params = Record<string, string | number | null | undefined>;

/**
 * The SQL the payment-list import writes with. Raw prepared statements rather than Prisma: a
 * statement runs in ~10 µs against ~300 µs for a Prisma call (toolchain.md), which is the
 * difference between seconds and minutes for 100,000 rows. DateTime columns get `sqlTimestamp`
 * text (passed in as @now), the format Prisma's adapter reads back.
 */
const SQL = {
  insertCommune: `INSERT INTO Commune (key, name, district, oldName, createdAt, updatedAt)
    VALUES (@key, @name, @district, @oldName, @now, @now)`,
  fillCommune: `UPDATE Commune SET district = COALESCE(district, @district), oldName = COALESCE(oldName, @oldName), updatedAt = @now
    WHERE id = @id`,
  insertBeneficiary: `INSERT INTO Beneficiary (code, fullName, dateOfBirth, sex, citizenIdHash, citizenIdLast4, phone, communeId,
      village, category, coefficient, monthlyAmount, paymentMethod, accountProvider, accountNumberSealed, accountLast4, payPoint,
      createdAt, updatedAt)
    VALUES (@code, @fullName, @dateOfBirth, @sex, @citizenIdHash, @citizenIdLast4, @phone, @communeId, @village, @category,
      @coefficient, @monthlyAmount, @paymentMethod, @accountProvider, @accountNumberSealed, @accountLast4, @payPoint, @now, @now)`,
  updateBeneficiary: `UPDATE Beneficiary SET fullName = @fullName, dateOfBirth = @dateOfBirth, sex = @sex,
      citizenIdHash = @citizenIdHash, citizenIdLast4 = @citizenIdLast4, phone = @phone, communeId = @communeId, village = @village,
      category = @category, coefficient = @coefficient, monthlyAmount = @monthlyAmount, paymentMethod = @paymentMethod,
      accountProvider = @accountProvider, accountNumberSealed = @accountNumberSealed, accountLast4 = @accountLast4,
      payPoint = @payPoint, updatedAt = @now
    WHERE id = @id`,
  insertGuardian: `INSERT INTO Guardian (fullName, phone, citizenIdHash, citizenIdLast4, createdAt, updatedAt)
    VALUES (@fullName, @phone, @citizenIdHash, @citizenIdLast4, @now, @now)`,
  updateGuardian: `UPDATE Guardian SET fullName = @fullName, phone = @phone, citizenIdHash = @citizenIdHash,
      citizenIdLast4 = @citizenIdLast4, updatedAt = @now
    WHERE id = @id`,
  insertLink: `INSERT INTO GuardianLink (guardianId, beneficiaryId, relation, createdAt)
    VALUES (@guardianId, @beneficiaryId, @relation, @now)`,
  updateLink: `UPDATE GuardianLink SET relation = @relation WHERE id = @id`,
  insertPeriod: `INSERT INTO PaymentPeriod (period, importedAt) VALUES (@period, @now)`,
  insertPayment: `INSERT INTO Payment (beneficiaryId, periodId, amount, backPay, method, accountProvider, accountLast4, payDate,
      payPoint, status, createdAt, updatedAt)
    VALUES (@beneficiaryId, @periodId, @amount, @backPay, @method, @accountProvider, @accountLast4, @payDate, @payPoint,
      'scheduled', @now, @now)`,
  // Never status, paidAt or reference: a later list must not undo a recorded result.
  updatePayment: `UPDATE Payment SET amount = @amount, backPay = @backPay, method = @method, accountProvider = @accountProvider,
      accountLast4 = @accountLast4, payDate = @payDate, payPoint = @payPoint, updatedAt = @now
    WHERE id = @id`,
  insertAudit: `INSERT INTO AuditLog (actorKind, actorId, action, entity, entityId, before, after, createdAt)
    VALUES ('import', @actorId, @action, @entity, @entityId, @before, @after, @now)`,
} as const;

export type StatementName = keyof typeof SQL;

/** Where the import's writes go: the database, or nowhere in a dry run (with stand-in ids). */
export interface RecordStore {
  /** Runs an INSERT and returns the new row's id. */
  insert(name: StatementName, params: Params): number;
  run(name: StatementName, params: Params): void;
}

export function databaseStore(sql: Database.Database): RecordStore {
  const statements = Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, sql.prepare(text)])) as Record<
    StatementName,
    Database.Statement
  >;
  return {
    insert: (name, params) => Number(statements[name].run(params).lastInsertRowid),
    run: (name, params) => void statements[name].run(params),
  };
}

/** A dry run computes what would change exactly as an import does, writing nothing; new records get negative ids. */
export function dryRunStore(): RecordStore {
  let nextId = -1;
  return {
    insert: () => nextId--,
    run: () => {},
  };
}
