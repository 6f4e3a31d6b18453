import type { Sql } from "../../db/sql/sql.ts";
import { matchKey } from "../../shared/text.ts";

export interface CommuneRecord {
  id: number;
  name: string;
  district: string | null;
  oldName: string | null;
}

/** The Beneficiary columns a payment list sets. */
export interface BeneficiaryRecord {
  id: number;
  code: string;
  fullName: string;
  dateOfBirth: string;
  sex: string | null;
  citizenIdHash: string | null;
  citizenIdLast4: string | null;
  phone: string | null;
  communeId: number;
  village: string | null;
  category: string;
  coefficient: number | null;
  monthlyAmount: number | null;
  paymentMethod: string | null;
  accountProvider: string | null;
  accountNumberSealed: string | null;
  accountLast4: string | null;
  payPoint: string | null;
}

export interface GuardianRecord {
  id: number;
  fullName: string;
  phone: string | null;
  citizenIdHash: string | null;
  citizenIdLast4: string | null;
}

export interface LinkRecord {
  id: number;
  guardianId: number;
  relation: string | null;
}

/** The Payment columns a payment list sets (never status or paidAt: those belong to the results). */
export interface PaymentRecord {
  id: number;
  amount: number;
  backPay: number;
  method: string;
  accountProvider: string | null;
  accountLast4: string | null;
  payDate: string;
  payPoint: string | null;
}

/**
 * What the database already holds, in Maps, so that each row is matched without a query
 * (100,000 lookups at ~7 µs each would be most of the import). The writer keeps them current
 * as it creates and changes records, so later rows see earlier rows' effects.
 */
export interface ExistingRecords {
  communeByKey: Map<string, CommuneRecord>;
  communeById: Map<number, CommuneRecord>;
  beneficiaryByCode: Map<string, BeneficiaryRecord>;
  guardianById: Map<number, GuardianRecord>;
  guardianByCitizenIdHash: Map<string, GuardianRecord>;
  /** Key: `${phone}|${matchKey(fullName)}`. */
  guardianByPhoneAndName: Map<string, GuardianRecord>;
  /** beneficiaryId → guardianId → link. */
  linksByBeneficiary: Map<number, Map<number, LinkRecord>>;
  periodIdByPeriod: Map<string, number>;
  /** Key: `${beneficiaryId}:${periodId}`; only the periods the list pays. */
  paymentByKey: Map<string, PaymentRecord>;
}

export function guardianPhoneNameKey(phone: string, fullName: string): string {
  return `${phone}|${matchKey(fullName)}`;
}

export function paymentKey(beneficiaryId: number, periodId: number): string {
  return `${beneficiaryId}:${periodId}`;
}

const PAYMENTS_OF_PERIOD = `SELECT id, beneficiaryId, amount, backPay, method, accountProvider, accountLast4, payDate, payPoint
  FROM Payment WHERE periodId = ?`;

export async function loadExistingRecords(sql: Sql, periods: string[]): Promise<ExistingRecords> {
  const communeByKey = new Map<string, CommuneRecord>();
  const communeById = new Map<number, CommuneRecord>();
  for (const row of await sql.all<CommuneRecord & { key: string }>(`SELECT id, key, name, district, oldName FROM Commune`)) {
    const { key, ...commune } = row;
    communeByKey.set(key, commune);
    communeById.set(commune.id, commune);
  }

  const beneficiaryByCode = new Map<string, BeneficiaryRecord>();
  const beneficiaries = await sql.all<BeneficiaryRecord>(
    `SELECT id, code, fullName, dateOfBirth, sex, citizenIdHash, citizenIdLast4, phone, communeId, village, category,
              coefficient, monthlyAmount, paymentMethod, accountProvider, accountNumberSealed, accountLast4, payPoint
     FROM Beneficiary`,
  );
  for (const b of beneficiaries) beneficiaryByCode.set(b.code, b);

  const guardianById = new Map<number, GuardianRecord>();
  const guardianByCitizenIdHash = new Map<string, GuardianRecord>();
  const guardianByPhoneAndName = new Map<string, GuardianRecord>();
  for (const g of await sql.all<GuardianRecord>(`SELECT id, fullName, phone, citizenIdHash, citizenIdLast4 FROM Guardian`)) {
    guardianById.set(g.id, g);
    if (g.citizenIdHash) guardianByCitizenIdHash.set(g.citizenIdHash, g);
    if (g.phone && !guardianByPhoneAndName.has(guardianPhoneNameKey(g.phone, g.fullName))) {
      guardianByPhoneAndName.set(guardianPhoneNameKey(g.phone, g.fullName), g);
    }
  }

  const linksByBeneficiary = new Map<number, Map<number, LinkRecord>>();
  const links = await sql.all<LinkRecord & { beneficiaryId: number }>(`SELECT id, guardianId, beneficiaryId, relation FROM GuardianLink`);
  for (const { beneficiaryId, ...link } of links) {
    let byGuardian = linksByBeneficiary.get(beneficiaryId);
    if (!byGuardian) linksByBeneficiary.set(beneficiaryId, (byGuardian = new Map()));
    byGuardian.set(link.guardianId, link);
  }

  const periodIdByPeriod = new Map<string, number>();
  const paymentByKey = new Map<string, PaymentRecord>();
  for (const period of periods) {
    const found = await sql.get<{ id: number }>(`SELECT id FROM PaymentPeriod WHERE period = ?`, [period]);
    if (!found) continue;
    periodIdByPeriod.set(period, found.id);
    for (const { beneficiaryId, ...payment } of await sql.all<PaymentRecord & { beneficiaryId: number }>(PAYMENTS_OF_PERIOD, [found.id])) {
      paymentByKey.set(paymentKey(beneficiaryId, found.id), payment);
    }
  }

  return {
    communeByKey,
    communeById,
    beneficiaryByCode,
    guardianById,
    guardianByCitizenIdHash,
    guardianByPhoneAndName,
    linksByBeneficiary,
    periodIdByPeriod,
    paymentByKey,
  };
}
