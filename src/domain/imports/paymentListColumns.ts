import { matchKey } from "../../shared/text.ts";
import { ImportFileError, type ImportProblem } from "./importReport.ts";
import type { CellValue, TableRow } from "./readTable.ts";

interface ColumnSpec {
  key: string;
  required: boolean;
  /** How a Vietnamese list usually heads the column: named in messages about a missing column. */
  label: string;
  /** Other header texts seen in lists (POSAsoft exports, commune spreadsheets, English keys). */
  aliases: readonly string[];
}

/** The columns of a monthly payment list. The key itself (with _ or spaces) is always accepted too. */
export const PAYMENT_LIST_COLUMNS = [
  { key: "beneficiary_code", required: true, label: "Mã đối tượng", aliases: ["mã đối tượng", "mã", "mã số", "mã ĐT", "code"] },
  { key: "full_name", required: true, label: "Họ và tên", aliases: ["họ và tên", "họ tên", "tên đối tượng", "full name", "name"] },
  { key: "date_of_birth", required: true, label: "Ngày sinh", aliases: ["ngày sinh", "ngày tháng năm sinh", "dob", "birth date"] },
  {
    key: "citizen_id",
    required: true,
    label: "Số CCCD",
    aliases: ["số cccd", "cccd", "số định danh", "số định danh cá nhân", "số cccd/cmnd", "cccd/cmnd", "citizen id"],
  },
  { key: "commune", required: true, label: "Xã/phường", aliases: ["xã", "xã/phường", "phường/xã", "xã phường"] },
  { key: "category", required: true, label: "Loại đối tượng", aliases: ["đối tượng", "loại đối tượng", "nhóm đối tượng", "diện đối tượng"] },
  { key: "period", required: true, label: "Kỳ chi trả", aliases: ["kỳ", "kỳ chi trả", "tháng", "tháng chi trả"] },
  { key: "amount", required: true, label: "Số tiền", aliases: ["số tiền", "số tiền chi trả", "thành tiền", "tổng số tiền"] },
  { key: "pay_date", required: true, label: "Ngày chi trả", aliases: ["ngày chi trả", "ngày chi"] },
  {
    key: "payment_method",
    required: true,
    label: "Hình thức chi trả",
    aliases: ["hình thức", "hình thức chi trả", "phương thức", "phương thức chi trả", "method"],
  },
  { key: "sex", required: false, label: "Giới tính", aliases: ["giới tính", "gender"] },
  { key: "phone", required: false, label: "Số điện thoại", aliases: ["số điện thoại", "sđt", "điện thoại", "số đt"] },
  { key: "village", required: false, label: "Thôn/bản", aliases: ["thôn", "thôn/bản", "thôn bản", "bản"] },
  { key: "district", required: false, label: "Huyện cũ", aliases: ["huyện", "huyện cũ"] },
  { key: "old_commune", required: false, label: "Xã cũ", aliases: ["xã cũ"] },
  {
    key: "monthly_amount",
    required: false,
    label: "Mức hưởng",
    aliases: ["mức hưởng", "trợ cấp hàng tháng", "mức trợ cấp", "mức trợ cấp hàng tháng"],
  },
  { key: "coefficient", required: false, label: "Hệ số", aliases: ["hệ số"] },
  { key: "back_pay", required: false, label: "Truy lĩnh", aliases: ["truy lĩnh", "số tiền truy lĩnh"] },
  { key: "account_provider", required: false, label: "Ngân hàng", aliases: ["ngân hàng", "đơn vị cung cấp", "tên ngân hàng", "provider"] },
  { key: "account_number", required: false, label: "Số tài khoản", aliases: ["số tài khoản", "stk", "tài khoản"] },
  { key: "pay_point", required: false, label: "Điểm chi trả", aliases: ["điểm chi trả"] },
  {
    key: "guardian_name",
    required: false,
    label: "Người nhận thay",
    aliases: ["người giám hộ", "người nhận thay", "họ tên người nhận thay", "guardian"],
  },
  {
    key: "guardian_phone",
    required: false,
    label: "SĐT người nhận thay",
    aliases: ["sđt người nhận thay", "số điện thoại người nhận thay", "sđt người giám hộ"],
  },
  {
    key: "guardian_citizen_id",
    required: false,
    label: "CCCD người nhận thay",
    aliases: ["cccd người nhận thay", "số cccd người nhận thay", "cccd người giám hộ"],
  },
  { key: "guardian_relation", required: false, label: "Quan hệ", aliases: ["quan hệ", "quan hệ với đối tượng", "relation"] },
] as const satisfies readonly ColumnSpec[];

export type ColumnKey = (typeof PAYMENT_LIST_COLUMNS)[number]["key"];

/**
 * A header cell in the form it is compared in: no diacritics, lower case, "_" as a space, and
 * without a unit or note in brackets ("Số tiền (đồng)", "Số CCCD (*)").
 */
export function headerMatchKey(text: string): string {
  return matchKey(text.replace(/\([^)]*\)/g, " ").replace(/[_*,.]/g, " "));
}

const KEY_BY_HEADER = new Map<string, ColumnKey>();
for (const column of PAYMENT_LIST_COLUMNS) {
  for (const name of [column.key, ...column.aliases]) {
    const header = headerMatchKey(name);
    const taken = KEY_BY_HEADER.get(header);
    if (taken && taken !== column.key) throw new Error(`Header alias "${name}" names both ${taken} and ${column.key}`);
    KEY_BY_HEADER.set(header, column.key);
  }
}

export function columnKeyForHeader(text: string): ColumnKey | undefined {
  return KEY_BY_HEADER.get(headerMatchKey(text));
}

/** Spreadsheet column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export interface ColumnLayout {
  headerRowNumber: number;
  /** Position of each column the file has. */
  indexByKey: Map<ColumnKey, number>;
  /** Header cells that named no known column. */
  ignored: string[];
}

/** Lists often start with a title ("DANH SÁCH CHI TRẢ ... THÁNG 7/2025"): the header is looked for in the first rows. */
const HEADER_SEARCH_ROWS = 10;
/** A row naming at least this many known columns is taken as the header. */
const HEADER_MIN_MATCHES = 3;

/** Finds the header row and where each column is. Throws ImportFileError when required columns are missing. */
export function locateColumns(rows: TableRow[]): ColumnLayout {
  if (rows.length === 0) throw new ImportFileError("The file is empty: it has no header and no rows.");
  const candidates = rows.slice(0, HEADER_SEARCH_ROWS);
  const header = candidates.find((row) => row.cells.filter((c) => columnKeyForHeader(headerText(c))).length >= HEADER_MIN_MATCHES) ?? rows[0];

  const indexByKey = new Map<ColumnKey, number>();
  const ignored: string[] = [];
  const problems: ImportProblem[] = [];
  header.cells.forEach((cell, index) => {
    const text = headerText(cell);
    if (!text) return;
    const key = columnKeyForHeader(text);
    if (!key) {
      ignored.push(text);
      return;
    }
    const earlier = indexByKey.get(key);
    if (earlier !== undefined) {
      problems.push({
        row: header.rowNumber,
        column: key,
        reason: `columns ${columnLetter(earlier)} and ${columnLetter(index)} are both ${key}: keep one of them`,
      });
      return;
    }
    indexByKey.set(key, index);
  });
  for (const column of PAYMENT_LIST_COLUMNS) {
    if (column.required && !indexByKey.has(column.key)) {
      problems.push({ row: header.rowNumber, column: column.key, reason: `required column is missing (e.g. headed "${column.label}")` });
    }
  }
  if (problems.length) {
    const missing = problems.filter((p) => p.reason.startsWith("required")).map((p) => p.column);
    const summary = missing.length
      ? `The file lacks required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (header row ${header.rowNumber}).`
      : `The header row (row ${header.rowNumber}) names a column twice.`;
    throw new ImportFileError(`${summary} Nothing was imported.`, problems);
  }
  return { headerRowNumber: header.rowNumber, indexByKey, ignored };
}

function headerText(cell: CellValue): string {
  return cell === null ? "" : String(cell).replace(/\s+/g, " ").trim();
}

/**
 * Rows under the header that carry no beneficiary: the column-number row official forms put under
 * the header ("1 2 3 ..." or "(1) (2) ..."), and the "Tổng cộng" (total) row at the bottom.
 * They would otherwise be rejected as bad rows and block an all-or-nothing import.
 */
export function isLayoutRow(row: TableRow, layout: ColumnLayout): boolean {
  const texts = row.cells.map((c) => (c === null ? "" : String(c).trim())).filter(Boolean);
  if (texts.every((t) => /^\(?\d{1,2}\)?$/.test(t))) return true;
  const code = row.cells[layout.indexByKey.get("beneficiary_code")!];
  const codeBlank = code === null || code === undefined || String(code).trim() === "";
  return codeBlank && texts.some((t) => /^(tong cong|tong so|tong|cong|total)\b/.test(matchKey(t)));
}
