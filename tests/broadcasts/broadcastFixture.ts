import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import type { Sql } from "../../src/db/sql/sql.ts";

const AT = sqlTimestamp(new Date("2026-11-01T03:00:00Z"));
let sequence = 0;

async function insertId(sql: Sql, text: string, params: unknown[]): Promise<number> {
  return (await sql.get<{ id: number }>(`${text} RETURNING id`, params))!.id;
}

export function addCommune(sql: Sql, name: string): Promise<number> {
  const key = name.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  return insertId(sql, `INSERT INTO Commune (key, name, createdAt, updatedAt) VALUES (?, ?, ?, ?)`, [key, name, AT, AT]);
}

export interface PersonSpec {
  communeId: number;
  category?: string;
  method?: string;
  status?: string;
  fullName?: string;
}

export function addBeneficiary(sql: Sql, spec: PersonSpec): Promise<number> {
  sequence += 1;
  return insertId(
    sql,
    `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, status, paymentMethod, accountProvider, accountLast4, createdAt, updatedAt)
     VALUES (?, ?, '1950-01-01', ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      `T-${String(sequence).padStart(5, "0")}`,
      spec.fullName ?? `Người thử ${sequence}`,
      spec.communeId,
      spec.category ?? "Người cao tuổi",
      spec.status ?? "active",
      spec.method ?? "cash",
      spec.method === "bank" ? "Agribank" : null,
      spec.method === "bank" ? "6789" : null,
      AT,
      AT,
    ],
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
  return insertId(
    sql,
    `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, guardianId, verification, verifiedAt, locale, remindersOn, unreachable, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, 'phone', ?, ?, ?, ?, ?, ?)`,
    [spec.channel, spec.externalId, spec.beneficiaryId ?? null, spec.guardianId ?? null, AT, spec.locale ?? "vi", spec.remindersOn !== false, spec.unreachable === true, AT, AT],
  );
}

/** A guardian linked to the given beneficiaries. */
export async function addGuardian(sql: Sql, beneficiaryIds: number[], fullName = "Người giám hộ"): Promise<number> {
  const id = await insertId(sql, `INSERT INTO Guardian (fullName, createdAt, updatedAt) VALUES (?, ?, ?)`, [fullName, AT, AT]);
  for (const b of beneficiaryIds) await sql.run(`INSERT INTO GuardianLink (guardianId, beneficiaryId, createdAt) VALUES (?, ?, ?)`, [id, b, AT]);
  return id;
}

/** A USSD phone number for the n-th test person (a valid Vietnamese mobile number). */
export const ussdPhone = (n: number) => `+8491${String(10_000_000 + n).slice(1)}`;
