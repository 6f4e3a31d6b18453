import { parseCalendarDate, parsePeriod } from "../../shared/dates.ts";
import { matchKey } from "../../shared/text.ts";

/** Above this a monthly amount is surely a typo (the largest allowance is a few million đồng). */
const MAX_VND = 100_000_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Money in whole đồng as lists write it: "500.000", "500,000", "500000", "500.000 đ", "500.000 VNĐ",
 * also "500000.00". A single separator followed by exactly three digits is a thousands separator
 * (Vietnamese "500.000" and English "500,000" alike); otherwise it is a decimal point.
 */
export function parseVnd(raw: string): Parsed<number> {
  const text = raw
    .replace(/[\s\u00a0]/g, "")
    .replace(/(vnđ|vnd|đồng|đ|d)$/iu, "")
    .trim();
  if (!text) return { ok: false, reason: "is empty" };
  if (/^[-−]/.test(text) || /^\(.*\)$/.test(text)) return { ok: false, reason: "must not be negative" };
  const notAmount = { ok: false as const, reason: `"${raw}" is not an amount: write whole đồng, e.g. 500.000` };
  if (!/^\d[\d.,]*$/.test(text)) return notAmount;

  const grouped = /^\d{1,3}(\.\d{3})+$|^\d{1,3}(,\d{3})+$/; // thousands, one kind of separator
  const lastSeparator = Math.max(text.lastIndexOf("."), text.lastIndexOf(","));
  let whole = text;
  let fraction = "";
  if (lastSeparator >= 0 && !grouped.test(text)) {
    // "1.500.000,00", "500000.5", "5,00": the last separator is the decimal point.
    whole = text.slice(0, lastSeparator);
    fraction = text.slice(lastSeparator + 1);
    if (!/^\d+$/.test(whole) && !grouped.test(whole)) return notAmount;
    if (!/^\d+$/.test(fraction)) return notAmount;
  }
  if (/[1-9]/.test(fraction)) return { ok: false, reason: `"${raw}" has a fraction of a đồng: amounts are whole VND` };
  const value = Number(whole.replace(/[.,]/g, ""));
  if (value > MAX_VND) return { ok: false, reason: `${raw} is more than 100.000.000 đ: check the amount` };
  return { ok: true, value };
}

/** The allowance coefficient (hệ số): "1,5" or "1.5"; between 0 and 10. */
export function parseCoefficient(raw: string): Parsed<number> {
  const text = raw.replace(/\s/g, "");
  if (!/^\d+([.,]\d+)?$/.test(text)) return { ok: false, reason: `"${raw}" is not a coefficient: write a number such as 1,5` };
  const value = Number(text.replace(",", "."));
  if (value <= 0 || value > 10) return { ok: false, reason: `${raw} is not a plausible coefficient (between 0 and 10)` };
  return { ok: true, value };
}

const SEXES: Record<string, "male" | "female"> = { nam: "male", male: "male", m: "male", nu: "female", female: "female", f: "female" };

export function parseSex(raw: string): Parsed<"male" | "female"> {
  const value = SEXES[matchKey(raw)];
  return value ? { ok: true, value } : { ok: false, reason: `"${raw}" is not a sex: write Nam or Nữ` };
}

/** A calendar date as lists write it (dd/mm/yyyy or yyyy-mm-dd), ignoring a time Excel may add ("10/07/2025 00:00"). */
export function parseListDate(raw: string): string | null {
  return parseCalendarDate(raw.replace(/[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/, ""));
}

/** A period as lists write it: "2025-07", "07/2025", also "Tháng 7/2025". */
export function parseListPeriod(raw: string): string | null {
  return parsePeriod(raw.replace(/^\s*(tháng|thang|kỳ|ky|t)\s*/i, ""));
}
