import { typedQuery } from "../../db/query/typedQuery.ts";
import type { Row } from "../../db/query/tables.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { matchKey } from "../../shared/text.ts";
import { BENEFICIARY_METHOD_COLUMNS, BENEFICIARY_RECORD_COLUMNS, PAYMENT_FROM_LIST_COLUMNS, type PaymentFromListColumn } from "../store/columnSets.ts";

/** The Beneficiary columns a payment list sets (the import writes them in the same order). */
export const BENEFICIARY_FROM_LIST_COLUMNS = [
  ...BENEFICIARY_RECORD_COLUMNS,
  ...BENEFICIARY_METHOD_COLUMNS,
  "sex",
  "citizenIdHash",
  "coefficient",
  "monthlyAmount",
  "accountNumberSealed",
] as const;

export type CommuneRecord = Pick<Row<"Commune">, "id" | "name" | "district" | "oldName">;
export type BeneficiaryRecord = Pick<Row<"Beneficiary">, "id" | (typeof BENEFICIARY_FROM_LIST_COLUMNS)[number]>;
export type GuardianRecord = Pick<Row<"Guardian">, "id" | "fullName" | "phone" | "citizenIdHash" | "citizenIdLast4">;
type LinkRecord = Pick<Row<"GuardianLink">, "id" | "guardianId" | "relation">;
/** The Payment columns a payment list sets (never status or paidAt: those belong to the results). */
export type PaymentRecord = Pick<Row<"Payment">, "id" | PaymentFromListColumn>;

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

export async function loadExistingRecords(sql: Sql, periods: string[]): Promise<ExistingRecords> {
  const db = typedQuery(sql);
  const communeByKey = new Map<string, CommuneRecord>();
  const communeById = new Map<number, CommuneRecord>();
  for (const { key, ...commune } of await db.selectFrom("Commune").select(["id", "key", "name", "district", "oldName"]).execute()) {
    communeByKey.set(key, commune);
    communeById.set(commune.id, commune);
  }

  const beneficiaryByCode = new Map<string, BeneficiaryRecord>();
  for (const b of await db.selectFrom("Beneficiary").select(["id", ...BENEFICIARY_FROM_LIST_COLUMNS]).execute()) beneficiaryByCode.set(b.code, b);

  const guardianById = new Map<number, GuardianRecord>();
  const guardianByCitizenIdHash = new Map<string, GuardianRecord>();
  const guardianByPhoneAndName = new Map<string, GuardianRecord>();
  for (const g of await db.selectFrom("Guardian").select(["id", "fullName", "phone", "citizenIdHash", "citizenIdLast4"]).execute()) {
    guardianById.set(g.id, g);
    if (g.citizenIdHash) guardianByCitizenIdHash.set(g.citizenIdHash, g);
    if (g.phone && !guardianByPhoneAndName.has(guardianPhoneNameKey(g.phone, g.fullName))) {
      guardianByPhoneAndName.set(guardianPhoneNameKey(g.phone, g.fullName), g);
    }
  }

  const linksByBeneficiary = new Map<number, Map<number, LinkRecord>>();
  for (const { beneficiaryId, ...link } of await db.selectFrom("GuardianLink").select(["id", "guardianId", "beneficiaryId", "relation"]).execute()) {
    let byGuardian = linksByBeneficiary.get(beneficiaryId);
    if (!byGuardian) linksByBeneficiary.set(beneficiaryId, (byGuardian = new Map()));
    byGuardian.set(link.guardianId, link);
  }

  const periodIdByPeriod = new Map<string, number>();
  const paymentByKey = new Map<string, PaymentRecord>();
  for (const period of periods) {
    const found = await db.selectFrom("PaymentPeriod").select("id").where("period", "=", period).executeTakeFirst();
    if (!found) continue;
    periodIdByPeriod.set(period, found.id);
    const payments = await db.selectFrom("Payment").select(["id", "beneficiaryId", ...PAYMENT_FROM_LIST_COLUMNS]).where("periodId", "=", found.id).execute();
    for (const { beneficiaryId, ...payment } of payments) paymentByKey.set(paymentKey(beneficiaryId, found.id), payment);
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
