import { sqlTimestamp } from "../../src/db/database.ts";
import type { Sql } from "../../src/db/sql/sql.ts";

// The console's and dashboard's small fixture on the async Sql (SQLite or PostgreSQL): the rows
// tests/broadcasts/broadcastFixture.ts makes there on a SQLite connection.
const AT = sqlTimestamp(new Date("2026-11-01T03:00:00Z"));
let sequence = 0;

async function insert(sql: Sql, text: string, params: unknown[]): Promise<number> {
  return (await sql.get<{ id: number }>(`${text} RETURNING id`, params))!.id;
}

export function addCommune(sql: Sql, name: string): Promise<number> {
  const key = name.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  return insert(sql, `INSERT INTO Commune (key, name, createdAt, updatedAt) VALUES (?, ?, ?, ?)`, [key, name, AT, AT]);
}

export function addBeneficiary(sql: Sql, spec: { communeId: number; fullName?: string }): Promise<number> {
  sequence += 1;
  return insert(
    sql,
    `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, status, paymentMethod, createdAt, updatedAt)
     VALUES (?, ?, '1950-01-01', ?, 'Người cao tuổi', 'active', 'cash', ?, ?)`,
    [`T-${String(sequence).padStart(5, "0")}`, spec.fullName ?? `Người thử ${sequence}`, spec.communeId, AT, AT],
  );
}

export interface IdentitySpec {
  channel: "telegram" | "zalo" | "ussd";
  externalId: string;
  beneficiaryId?: number;
  guardianId?: number;
  locale?: "vi" | "en";
  remindersOn?: boolean;
  unreachable?: boolean;
}

export function addIdentity(sql: Sql, spec: IdentitySpec): Promise<number> {
  return insert(
    sql,
    `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, guardianId, verification, verifiedAt, locale, remindersOn, unreachable, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, 'phone', ?, ?, ?, ?, ?, ?)`,
    [spec.channel, spec.externalId, spec.beneficiaryId ?? null, spec.guardianId ?? null, AT, spec.locale ?? "vi", spec.remindersOn !== false, spec.unreachable === true, AT, AT],
  );
}

/** A guardian linked to the given beneficiaries. */
export async function addGuardian(sql: Sql, beneficiaryIds: number[], fullName = "Người giám hộ"): Promise<number> {
  const id = await insert(sql, `INSERT INTO Guardian (fullName, createdAt, updatedAt) VALUES (?, ?, ?)`, [fullName, AT, AT]);
  for (const b of beneficiaryIds) await sql.run(`INSERT INTO GuardianLink (guardianId, beneficiaryId, createdAt) VALUES (?, ?, ?)`, [id, b, AT]);
  return id;
}
