import { citizenIdMatchesBirthYear, isCitizenIdFormat, normalizeCitizenId } from "../../shared/citizenId.ts";
import { formatCalendarDate, nextPeriod } from "../../shared/dates.ts";
import { normalizeVietnamPhone } from "../../shared/phone.ts";
import { parsePaymentMethod, type PaymentMethod } from "../paymentMethods.ts";
import type { RowCells } from "./cellText.ts";
import type { ImportProblem } from "./importReport.ts";
import type { ColumnKey } from "./paymentListColumns.ts";
import { parseCoefficient, parseListDate, parseListPeriod, parseSex, parseVnd, type Parsed } from "./parseListValues.ts";

export interface GuardianOnList {
  fullName: string;
  phone: string | null; // E.164
  citizenId: string | null; // 12 digits; hashed before it is stored
  relation: string | null;
}

/** A row that passed every check, in the form it is stored (dates yyyy-mm-dd, money in đồng, phones E.164). */
export interface PaymentListRow {
  rowNumber: number;
  code: string;
  fullName: string;
  dateOfBirth: string;
  sex: "male" | "female" | null;
  citizenId: string;
  phone: string | null;
  commune: string;
  district: string | null;
  oldCommune: string | null;
  village: string | null;
  category: string;
  coefficient: number | null;
  monthlyAmount: number | null;
  period: string;
  amount: number;
  backPay: number;
  payDate: string;
  method: PaymentMethod;
  accountProvider: string | null;
  accountNumber: string | null;
  payPoint: string | null;
  guardian: GuardianOnList | null;
}

export type RowValidation = { row: PaymentListRow; problems: [] } | { row: null; problems: ImportProblem[] };

const METHODS_ACCEPTED = "bank (ngân hàng), mobile_money (ví điện tử), cash (tiền mặt) or cash_home (tiền mặt tại nhà)";
const OLD_PHONE = "old 11-digit number (before 2018); write the new 10-digit number";
const ACCOUNT_DIGITS = { min: 6, max: 19 };

/**
 * Checks one row and converts it. Every problem in the row is reported (not only the first), so
 * a clerk can correct the row in one pass. `today` (yyyy-mm-dd) bounds dates of birth.
 */
export function validatePaymentRow(cells: RowCells, today: string): RowValidation {
  const problems: ImportProblem[] = cells.spoilt.map((s) => ({ row: cells.rowNumber, ...s }));
  const spoilt = new Set(cells.spoilt.map((s) => s.column));
  const report = (column: ColumnKey, reason: string): null => {
    problems.push({ row: cells.rowNumber, column, reason });
    return null;
  };
  const text = (key: ColumnKey) => (spoilt.has(key) ? "" : (cells.text[key] ?? ""));
  const name = (key: ColumnKey) => text(key).replace(/\s+/g, " ") || null;
  const required = (key: ColumnKey, what: string) => name(key) ?? report(key, `is empty: write ${what}`);
  const parsed = <T>(key: ColumnKey, result: Parsed<T>) => (result.ok ? result.value : report(key, result.reason));
  const optional = <T>(key: ColumnKey, parse: (raw: string) => Parsed<T>) => (text(key) ? parsed(key, parse(text(key))) : null);

  const code = required("beneficiary_code", "the beneficiary code (mã đối tượng)");
  const fullName = required("full_name", "the beneficiary's full name");
  const commune = required("commune", "the commune or ward (xã/phường)");
  const category = required("category", "the beneficiary category (loại đối tượng)");
  const dateOfBirth = birthDate(text("date_of_birth"), today, report);
  const citizenId = citizenIdOf("citizen_id", text("citizen_id"), report, dateOfBirth);
  const sex = optional("sex", parseSex);
  const phone = optional("phone", phoneNumber);

  const period = text("period")
    ? (parseListPeriod(text("period")) ?? report("period", `"${text("period")}" is not a period: write the month as yyyy-mm (e.g. 2025-07)`))
    : report("period", "is empty: write the month paid as yyyy-mm (e.g. 2025-07)");
  const payDate = payDateOf(text("pay_date"), period, report);
  const amount = text("amount") ? parsed("amount", positive(parseVnd(text("amount")))) : report("amount", "is empty: write the amount paid in đồng");
  const monthlyAmount = optional("monthly_amount", (raw) => positive(parseVnd(raw)));
  const backPayGiven = optional("back_pay", parseVnd);
  const coefficient = optional("coefficient", parseCoefficient);
  if (amount !== null && backPayGiven !== null && backPayGiven > amount) {
    report("back_pay", `${backPayGiven.toLocaleString("vi-VN")} đ is more than the amount paid (${amount.toLocaleString("vi-VN")} đ), which includes it`);
  }

  const methodText = text("payment_method");
  const method = methodText
    ? (parsePaymentMethod(methodText) ?? report("payment_method", `unknown method "${methodText}": use ${METHODS_ACCEPTED}`))
    : report("payment_method", `is empty: use ${METHODS_ACCEPTED}`);
  const accountNumber = optional("account_number", accountNumberOf);
  const accountGiven = text("account_number") !== "" || spoilt.has("account_number"); // a bad one is reported already
  if (method === "bank" && !accountGiven) {
    report("account_number", "is empty: payment by bank needs the account number");
  }
  if (method === "mobile_money" && !accountGiven && !text("phone")) {
    report("account_number", "is empty: mobile money needs the wallet account number or the beneficiary's phone");
  }

  const guardian = guardianOf(text, report);

  if (problems.length) return { row: null, problems };
  return {
    row: {
      rowNumber: cells.rowNumber,
      code: code!,
      fullName: fullName!,
      dateOfBirth: dateOfBirth!,
      sex,
      citizenId: citizenId!,
      phone,
      commune: commune!,
      district: name("district"),
      oldCommune: name("old_commune"),
      village: name("village"),
      category: category!,
      coefficient,
      monthlyAmount,
      period: period!,
      amount: amount!,
      // The amount includes any back pay: where the list does not say, it is what exceeds the monthly allowance.
      backPay: backPayGiven ?? (monthlyAmount !== null ? Math.max(0, amount! - monthlyAmount) : 0),
      payDate: payDate!,
      method: method!,
      accountProvider: name("account_provider"),
      accountNumber,
      payPoint: name("pay_point"),
      guardian,
    },
    problems: [],
  };
}

type Report = (column: ColumnKey, reason: string) => null;

function positive(result: Parsed<number>): Parsed<number> {
  return result.ok && result.value === 0 ? { ok: false, reason: "is 0: write the amount in đồng" } : result;
}

function birthDate(raw: string, today: string, report: Report): string | null {
  if (!raw) return report("date_of_birth", "is empty: write the date of birth as dd/mm/yyyy");
  const date = parseListDate(raw);
  if (!date) return report("date_of_birth", `"${raw}" is not a date: write dd/mm/yyyy`);
  if (date > today) return report("date_of_birth", `${formatCalendarDate(date)} is in the future`);
  return date;
}

function citizenIdOf(column: ColumnKey, raw: string, report: Report, dateOfBirth: string | null = null): string | null {
  if (!raw) return report(column, "is empty: write the 12-digit personal ID number (số định danh cá nhân)");
  const id = normalizeCitizenId(raw);
  if (!/^\d+$/.test(id)) return report(column, "must be 12 digits (it contains letters or other signs)");
  if (!isCitizenIdFormat(id)) {
    const hint = id.length === 11 ? ": the leading 0 was probably lost because the column is formatted as a number" : "";
    const old = id.length === 9 ? ": this looks like an old 9-digit CMND; write the 12-digit CCCD number" : "";
    return report(column, `must be 12 digits (it has ${id.length})${hint}${old}`);
  }
  if (dateOfBirth && !citizenIdMatchesBirthYear(id, dateOfBirth)) {
    const year = 1900 + Math.floor(Number(id[3]) / 2) * 100 + Number(id.slice(4, 6));
    return report(column, `does not match date_of_birth: the ID's 4th to 6th digits say born in ${year}, date_of_birth says ${dateOfBirth.slice(0, 4)}`);
  }
  return id;
}

function phoneNumber(raw: string): Parsed<string> {
  const result = normalizeVietnamPhone(raw);
  if (result.ok) return { ok: true, value: result.e164 };
  return { ok: false, reason: result.reason === "old_11_digit" ? OLD_PHONE : "is not a valid Vietnamese phone number" };
}

function accountNumberOf(raw: string): Parsed<string> {
  const digits = raw.replace(/[\s.-]/g, "");
  if (!/^\d+$/.test(digits)) return { ok: false, reason: `must be ${ACCOUNT_DIGITS.min} to ${ACCOUNT_DIGITS.max} digits (it contains letters or other signs)` };
  if (digits.length < ACCOUNT_DIGITS.min || digits.length > ACCOUNT_DIGITS.max) {
    return { ok: false, reason: `must be ${ACCOUNT_DIGITS.min} to ${ACCOUNT_DIGITS.max} digits (it has ${digits.length})` };
  }
  return { ok: true, value: digits };
}

/**
 * A list pays one month: its pay date falls from the start of the month before the period (some
 * communes pay early) to the end of the second month after it (late funding). Anything else is a typo.
 */
function payDateOf(raw: string, period: string | null, report: Report): string | null {
  if (!raw) return report("pay_date", "is empty: write the pay date as dd/mm/yyyy");
  const date = parseListDate(raw);
  if (!date) return report("pay_date", `"${raw}" is not a date: write dd/mm/yyyy`);
  if (!period) return date;
  const earliest = `${previousPeriod(period)}-01`;
  const latest = lastDayOf(nextPeriod(nextPeriod(period)));
  if (date < earliest || date > latest) {
    return report(
      "pay_date",
      `${formatCalendarDate(date)} is too far from the period ${period}: a pay date should fall between ${formatCalendarDate(earliest)} and ${formatCalendarDate(latest)}`,
    );
  }
  return date;
}

function previousPeriod(period: string): string {
  const [y, m] = period.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

function lastDayOf(period: string): string {
  const [y, m] = period.split("-").map(Number);
  return `${period}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
}

type TextOf = (key: ColumnKey) => string;

/** The person who receives for the beneficiary, when the row names one. */
function guardianOf(text: TextOf, report: Report): GuardianOnList | null {
  const fullName = text("guardian_name").replace(/\s+/g, " ");
  const details = text("guardian_phone") || text("guardian_citizen_id") || text("guardian_relation");
  if (!fullName) {
    if (details) report("guardian_name", "is empty while other guardian columns are filled: write the name of the person who receives for them");
    return null;
  }
  let phone: string | null = null;
  if (text("guardian_phone")) {
    const result = phoneNumber(text("guardian_phone"));
    phone = result.ok ? result.value : report("guardian_phone", result.reason);
  }
  const citizenId = text("guardian_citizen_id") ? citizenIdOf("guardian_citizen_id", text("guardian_citizen_id"), report) : null;
  const relation = text("guardian_relation").replace(/\s+/g, " ") || null;
  return { fullName, phone, citizenId, relation };
}

