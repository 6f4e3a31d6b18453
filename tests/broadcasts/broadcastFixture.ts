import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../src/db/database.ts";

const AT = sqlTimestamp(new Date("2026-11-01T03:00:00Z"));
let sequence = 0;

export function addCommune(sql: Database.Database, name: string): number {
  const key = name.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d");
  return Number(sql.prepare(`INSERT INTO Commune (key, name, createdAt, updatedAt) VALUES (?, ?, ?, ?)`).run(key, name, AT, AT).lastInsertRowid);
}

export interface PersonSpec {
  communeId: number;
  category?: string;
  method?: string;
  status?: string;
  fullName?: string;
}

export function addBeneficiary(sql: Database.Database, spec: PersonSpec): number {
  sequence += 1;
  return Number(
    sql
      .prepare(
        `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, status, paymentMethod, accountProvider, accountLast4, createdAt, updatedAt)
         VALUES (?, ?, '1950-01-01', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      ).lastInsertRowid,
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

export function addIdentity(sql: Database.Database, spec: IdentitySpec): number {
  return Number(
    sql
      .prepare(
        `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, guardianId, verification, verifiedAt, locale, remindersOn, unreachable, createdAt, updatedAt)
         VALUES (?, ?, ?, ?, 'phone', ?, ?, ?, ?, ?, ?)`,
      )
      .run(spec.channel, spec.externalId, spec.beneficiaryId ?? null, spec.guardianId ?? null, AT, spec.locale ?? "vi", spec.remindersOn === false ? 0 : 1, spec.unreachable ? 1 : 0, AT, AT)
      .lastInsertRowid,
  );
}

/** A guardian linked to the given beneficiaries. */
export function addGuardian(sql: Database.Database, beneficiaryIds: number[], fullName = "Người giám hộ"): number {
  const id = Number(sql.prepare(`INSERT INTO Guardian (fullName, createdAt, updatedAt) VALUES (?, ?, ?)`).run(fullName, AT, AT).lastInsertRowid);
  for (const b of beneficiaryIds) sql.prepare(`INSERT INTO GuardianLink (guardianId, beneficiaryId, createdAt) VALUES (?, ?, ?)`).run(id, b, AT);
  return id;
}

/** A USSD phone number for the n-th test person (a valid Vietnamese mobile number). */
export const ussdPhone = (n: number) => `+8491${String(10_000_000 + n).slice(1)}`;
