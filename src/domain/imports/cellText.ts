import type { ColumnKey } from "./paymentListColumns.ts";
import type { CellValue } from "./table.ts";

const DATE_COLUMNS: ReadonlySet<string> = new Set(["date_of_birth", "pay_date"]);
const ID_COLUMNS: ReadonlySet<string> = new Set(["citizen_id", "guardian_citizen_id"]);
const PHONE_COLUMNS: ReadonlySet<string> = new Set(["phone", "guardian_phone"]);

/** Excel keeps 15 significant digits: a longer number typed into a number cell has already been changed. */
const EXCEL_DIGITS = 15;
/** Excel day numbers below this are dates (up to year 2173); larger integers in a date column are typed digits. */
const MAX_EXCEL_SERIAL = 99_999;

export interface CellText {
  text: string;
  /** Set when the cell cannot be trusted whatever it says (a long number Excel has rounded). */
  problem?: string;
}

/**
 * A cell as the text a clerk meant, given what the column holds. Spreadsheets change what was
 * typed: IDs and phones typed as numbers lose their leading 0, dates become Date cells (or bare
 * day numbers when the style is lost), and "07/2025" in a period column becomes a date.
 */
export function cellText(value: CellValue, key: string): CellText {
  if (value === null || value === undefined) return { text: "" };
  if (typeof value === "string") return { text: value.normalize("NFC").trim() };
  if (typeof value === "boolean") return { text: String(value) };
  if (value instanceof Date) return { text: key === "period" ? isoDate(value).slice(0, 7) : isoDate(value) };

  // A number.
  if ((DATE_COLUMNS.has(key) || key === "period") && Number.isInteger(value) && value > 0 && value <= MAX_EXCEL_SERIAL) {
    const date = isoDate(excelSerialToDate(value));
    return { text: key === "period" ? date.slice(0, 7) : date };
  }
  if (Number.isInteger(value)) {
    let digits = Math.abs(value) < 1e21 ? Math.abs(value).toFixed(0) : String(Math.abs(value));
    if (ID_COLUMNS.has(key) && digits.length === 11) digits = `0${digits}`; // province codes start with 0
    if (PHONE_COLUMNS.has(key) && digits.length === 9) digits = `0${digits}`;
    if (DATE_COLUMNS.has(key) && digits.length === 7) digits = `0${digits}`; // ddmmyyyy typed as a number
    if (key === "account_number" && (digits.length > EXCEL_DIGITS || !Number.isSafeInteger(value))) {
      return {
        text: digits,
        problem: "is stored as a number, and Excel keeps only 15 digits: format the column as Text and type the account number again",
      };
    }
    return { text: value < 0 ? `-${digits}` : digits };
  }
  return { text: String(value) };
}

/** Date cells are midnight UTC in exceljs: the calendar date is the UTC date. */
function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Excel's day numbers (1900 system): day 25569 is 1970-01-01. */
function excelSerialToDate(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/** One data row as text by column key, with any cell the spreadsheet has already spoilt. */
export interface RowCells<Key extends string = ColumnKey> {
  rowNumber: number;
  text: Partial<Record<Key, string>>;
  spoilt: { column: Key; reason: string }[];
}

export function rowCells<Key extends string = ColumnKey>(rowNumber: number, cells: CellValue[], indexByKey: ReadonlyMap<Key, number>): RowCells<Key> {
  const text: Partial<Record<Key, string>> = {};
  const spoilt: RowCells<Key>["spoilt"] = [];
  for (const [key, index] of indexByKey) {
    const cell = cellText(cells[index] ?? null, key);
    text[key] = cell.text;
    if (cell.problem) spoilt.push({ column: key, reason: cell.problem });
  }
  return { rowNumber, text, spoilt };
}
