import { parseCalendarDate } from "../../shared/dates.ts";
import { matchKey } from "../../shared/text.ts";
import type { Parsed } from "./parseListValues.ts";
import type { CellValue } from "./table.ts";

export const RESULT_STATUSES = ["paid", "failed", "returned"] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** How providers and offices write a payment's result: the English keys and the usual Vietnamese words. */
const STATUS_NAMES: Record<ResultStatus, string[]> = {
  paid: ["paid", "đã chi trả", "đã chi", "đã trả", "đã thanh toán", "thành công", "chi trả thành công", "đã nhận", "success"],
  failed: [
    "failed",
    "fail",
    "lỗi",
    "bị lỗi",
    "không thành công",
    "chi trả không thành công",
    "chưa thành công",
    "thất bại",
    "chi trả lỗi",
    "error",
  ],
  returned: ["returned", "trả lại", "bị trả lại", "hoàn trả", "bị hoàn trả", "hoàn tiền", "tiền bị trả lại", "trả về"],
};
const STATUS_BY_KEY = new Map<string, ResultStatus>();
for (const [status, names] of Object.entries(STATUS_NAMES) as [ResultStatus, string[]][]) {
  for (const name of names) STATUS_BY_KEY.set(matchKey(name), status);
}

export function parseResultStatus(raw: string): Parsed<ResultStatus> {
  const status = STATUS_BY_KEY.get(matchKey(raw.replace(/[_-]/g, " ")));
  if (status) return { ok: true, value: status };
  if (matchKey(raw) === "scheduled") {
    return { ok: false, reason: "scheduled is not a result: leave the row out until the payment is paid, failed or returned" };
  }
  return {
    ok: false,
    reason: `"${shorten(raw)}" is not a result: write paid (đã chi trả), failed (không thành công) or returned (trả lại)`,
  };
}

/** Vietnam has kept UTC+7 without daylight saving since 1975: local wall time is UTC minus 7 hours. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** When a payment was made, as an instant; `dateOnly` when the file gave a day without a time. */
export interface PaidAt {
  at: Date;
  /** yyyy-mm-dd in Vietnam. */
  localDate: string;
  dateOnly: boolean;
}

const TIME = String.raw`(\d{1,2})[:hH](\d{2})(?::(\d{2})(?:\.\d+)?)?`;
const DATE_THEN_TIME = new RegExp(String.raw`^(\S+?)(?:[ T]+${TIME})?(Z|[+-]\d{2}:?\d{2})?$`);
const TIME_THEN_DATE = new RegExp(String.raw`^${TIME}\s+(\S+)$`);

/**
 * The paid_at cell: dd/mm/yyyy or yyyy-mm-dd, optionally with a time (HH:mm, HH:mm:ss, also
 * 14h30, before or after the date). Without a zone it is Vietnam time; ISO text with Z or an
 * offset is taken as that instant.
 */
export function parsePaidAt(raw: string): Parsed<PaidAt> {
  const text = raw.trim().replace(/\s+/g, " ");
  const bad = { ok: false as const, reason: `"${shorten(raw)}" is not a date: write dd/mm/yyyy or dd/mm/yyyy HH:mm (Vietnam time)` };
  let datePart: string, hour = 0, minute = 0, second = 0, zone: string | undefined, hasTime: boolean;
  let m = TIME_THEN_DATE.exec(text);
  if (m) {
    [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    datePart = m[4];
    hasTime = true;
  } else if ((m = DATE_THEN_TIME.exec(text))) {
    datePart = m[1];
    hasTime = m[2] !== undefined;
    if (hasTime) [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
    zone = m[5];
    if (zone && !hasTime) return bad;
  } else {
    return bad;
  }
  const date = parseCalendarDate(datePart);
  if (!date || hour > 23 || minute > 59 || second > 59) return bad;
  const [y, mo, d] = date.split("-").map(Number);
  const wall = Date.UTC(y, mo - 1, d, hour, minute, second);
  let offsetMs = VIETNAM_OFFSET_MS;
  if (zone && zone !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offsetMs = (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 3_600_000 + Number(z[3]) * 60_000);
  } else if (zone === "Z") {
    offsetMs = 0;
  }
  const at = new Date(wall - offsetMs);
  return { ok: true, value: { at, localDate: vietnamDate(at), dateOnly: !hasTime } };
}

/** The calendar date in Vietnam of an instant. */
export function vietnamDate(at: Date): string {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** Excel's day numbers (1900 system): day 25569 is 1970-01-01; the fraction is the time of day. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const MAX_EXCEL_SERIAL = 99_999;
/** Excel keeps 15 significant digits: a longer number typed into a number cell has already been changed. */
const EXCEL_DIGITS = 15;

/**
 * The paid_at cell as text keeping its time of day. exceljs gives Date cells (and bare day
 * numbers when the style is lost) with the wall-clock time as UTC fields: Excel has no time zone,
 * and the clerk typed Vietnam time.
 */
export function paidAtCellText(value: CellValue): CellValue {
  let wall: Date | null = null;
  if (value instanceof Date) wall = value;
  else if (typeof value === "number" && value > 0 && value <= MAX_EXCEL_SERIAL) wall = new Date(EXCEL_EPOCH_MS + Math.round(value * 86_400) * 1000);
  if (!wall || Number.isNaN(wall.getTime())) return value;
  const iso = wall.toISOString(); // yyyy-mm-ddTHH:mm:ss.sssZ
  return iso.slice(11, 19) === "00:00:00" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** A reference typed into a number cell longer than Excel keeps has been rounded: it cannot be trusted. */
export function spoiltReference(value: CellValue): string | null {
  if (typeof value !== "number" || !Number.isInteger(value)) return null;
  if (Number.isSafeInteger(value) && Math.abs(value).toFixed(0).length <= EXCEL_DIGITS) return null;
  return "is stored as a number, and Excel keeps only 15 digits: format the column as Text and type the reference again";
}

function shorten(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 40 ? `${trimmed.slice(0, 37)}...` : trimmed;
}
