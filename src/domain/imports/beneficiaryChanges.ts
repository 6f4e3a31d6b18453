import { hashCitizenId } from "../../shared/citizenId.ts";
import { lastFour, maskAccount } from "../../shared/mask.ts";
import { seal, unseal } from "../../shared/secrets.ts";
import type { BeneficiaryRecord, CommuneRecord } from "./existingRecords.ts";
import type { ColumnKey } from "./paymentListColumns.ts";
import type { PaymentListRow } from "./validatePaymentRow.ts";

/** Fields as the audit log names them: the ID and account number appear only masked. */
export type BeneficiaryField =
  | "fullName"
  | "dateOfBirth"
  | "sex"
  | "citizenId"
  | "phone"
  | "commune"
  | "village"
  | "category"
  | "coefficient"
  | "monthlyAmount"
  | "paymentMethod"
  | "accountProvider"
  | "account"
  | "payPoint";

export interface BeneficiaryContext {
  secret: Buffer;
  /** The columns the file has. */
  columns: ReadonlySet<ColumnKey>;
}

/**
 * The beneficiary record as the list says it should be, and which fields that changes.
 * - Identity and category are always taken from the list.
 * - Contact and allowance details (sex, phone, village, coefficient, monthly amount) are taken
 *   when the cell is filled: a blank means "not given here", not "erase", since a phone may have
 *   been confirmed by the person over a channel since the last list.
 * - How the person is paid (method, provider, account, pay point) is the list's to say: a blank
 *   cell clears the value, as long as the file has that column at all.
 */
export function nextBeneficiary(
  existing: BeneficiaryRecord | undefined,
  row: PaymentListRow,
  communeId: number,
  context: BeneficiaryContext,
): { next: BeneficiaryRecord; changed: BeneficiaryField[] } {
  const next: BeneficiaryRecord = existing
    ? { ...existing }
    : {
        id: 0,
        code: row.code,
        fullName: row.fullName,
        dateOfBirth: row.dateOfBirth,
        sex: null,
        citizenIdHash: null,
        citizenIdLast4: null,
        phone: null,
        communeId,
        village: null,
        category: row.category,
        coefficient: null,
        monthlyAmount: null,
        paymentMethod: null,
        accountProvider: null,
        accountNumberSealed: null,
        accountLast4: null,
        payPoint: null,
      };
  const changed: BeneficiaryField[] = [];
  const set = <K extends keyof BeneficiaryRecord & BeneficiaryField>(field: K, value: BeneficiaryRecord[K]) => {
    if (next[field] === value) return;
    next[field] = value;
    changed.push(field);
  };

  set("fullName", row.fullName);
  set("dateOfBirth", row.dateOfBirth);
  if (row.sex) set("sex", row.sex);
  const citizenIdHash = hashCitizenId(row.citizenId, context.secret);
  if (next.citizenIdHash !== citizenIdHash) {
    next.citizenIdHash = citizenIdHash;
    next.citizenIdLast4 = lastFour(row.citizenId);
    changed.push("citizenId");
  }
  if (row.phone) set("phone", row.phone);
  if (next.communeId !== communeId) {
    next.communeId = communeId;
    changed.push("commune");
  }
  if (row.village) set("village", row.village);
  set("category", row.category);
  if (row.coefficient !== null) set("coefficient", row.coefficient);
  if (row.monthlyAmount !== null) set("monthlyAmount", row.monthlyAmount);
  set("paymentMethod", row.method);
  if (context.columns.has("account_provider")) set("accountProvider", row.accountProvider);
  if (context.columns.has("account_number") && !sameAccount(next, row.accountNumber, context.secret)) {
    next.accountNumberSealed = row.accountNumber ? seal(row.accountNumber, context.secret) : null;
    next.accountLast4 = row.accountNumber ? lastFour(row.accountNumber) : null;
    changed.push("account");
  }
  if (context.columns.has("pay_point")) set("payPoint", row.payPoint);
  return { next, changed };
}

/** Sealing uses a fresh IV each time, so the stored number is opened to compare (only when the last 4 agree). */
function sameAccount(record: BeneficiaryRecord, accountNumber: string | null, secret: Buffer): boolean {
  if (!record.accountNumberSealed || !accountNumber) return !record.accountNumberSealed && !accountNumber;
  if (record.accountLast4 !== lastFour(accountNumber)) return false;
  try {
    return unseal(record.accountNumberSealed, secret) === accountNumber;
  } catch {
    return false; // sealed under another secret: seal it again under this one
  }
}

/** Before/after values of the changed fields, safe for the audit log. */
export function beneficiaryAuditValues(
  record: BeneficiaryRecord,
  fields: BeneficiaryField[],
  communeById: ReadonlyMap<number, CommuneRecord>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === "citizenId") values.citizenId = record.citizenIdLast4 ? `***${record.citizenIdLast4}` : null;
    else if (field === "account") values.account = record.accountLast4 ? maskAccount(record.accountLast4) : null;
    else if (field === "commune") values.commune = communeById.get(record.communeId)?.name ?? record.communeId;
    else values[field] = record[field];
  }
  return values;
}
