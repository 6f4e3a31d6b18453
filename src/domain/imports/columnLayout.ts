import { matchKey } from "../../shared/text.ts";
import { ImportFileError, type ImportProblem } from "./importReport.ts";
import type { CellValue, TableRow } from "./table.ts";

/** One column an imported list may have. */
export interface ColumnSpec {
  key: string;
  required: boolean;
  /** How a Vietnamese list usually heads the column: named in messages about a missing column. */
  label: string;
  /** Other header texts seen in lists (POSAsoft exports, commune spreadsheets, English keys). */
  aliases: readonly string[];
}

/**
 * A header cell in the form it is compared in: no diacritics, lower case, "_" as a space, and
 * without a unit or note in brackets ("Số tiền (đồng)", "Số CCCD (*)").
 */
function headerMatchKey(text: string): string {
  return matchKey(text.replace(/\([^)]*\)/g, " ").replace(/[_*,.]/g, " "));
}

/** Spreadsheet column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export interface ColumnLayout<Key extends string = string> {
  headerRowNumber: number;
  /** Position of each column the file has. */
  indexByKey: Map<Key, number>;
  /** Header cells that named no known column. */
  ignored: string[];
}

/** Lists often start with a title ("DANH SÁCH CHI TRẢ ... THÁNG 7/2025"): the header is looked for in the first rows. */
const HEADER_SEARCH_ROWS = 10;

function headerText(cell: CellValue): string {
  return cell === null ? "" : String(cell).replace(/\s+/g, " ").trim();
}

/** Header matching for one kind of list (payment list, results, communes), from its columns. */
export function columnMatcher<Key extends string>(columns: readonly ColumnSpec[]) {
  const keyByHeader = new Map<string, Key>();
  for (const column of columns) {
    for (const name of [column.key, ...column.aliases]) {
      const header = headerMatchKey(name);
      const taken = keyByHeader.get(header);
      if (taken && taken !== column.key) throw new Error(`Header alias "${name}" names both ${taken} and ${column.key}`);
      keyByHeader.set(header, column.key as Key);
    }
  }
  const columnKeyForHeader = (text: string): Key | undefined => keyByHeader.get(headerMatchKey(text));
  // A row naming this many known columns is taken as the header (fewer for lists with few columns).
  const minMatches = Math.min(3, columns.filter((c) => c.required).length);

  /** Finds the header row and where each column is. Throws ImportFileError when required columns are missing. */
  function locateColumns(rows: TableRow[]): ColumnLayout<Key> {
    if (rows.length === 0) throw new ImportFileError("The file is empty: it has no header and no rows.");
    const candidates = rows.slice(0, HEADER_SEARCH_ROWS);
    const header = candidates.find((row) => row.cells.filter((c) => columnKeyForHeader(headerText(c))).length >= minMatches) ?? rows[0];

    const indexByKey = new Map<Key, number>();
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
    for (const column of columns) {
      if (column.required && !indexByKey.has(column.key as Key)) {
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

  return { columnKeyForHeader, locateColumns };
}

/**
 * Rows under the header that carry no record: the column-number row official forms put under
 * the header ("1 2 3 ..." or "(1) (2) ..."), and the "Tổng cộng" (total) row at the bottom.
 * They would otherwise be rejected as bad rows and block an all-or-nothing import.
 */
export function isLayoutRow<Key extends string>(row: TableRow, layout: ColumnLayout<Key>, keyColumn: Key): boolean {
  const texts = row.cells.map((c) => (c === null ? "" : String(c).trim())).filter(Boolean);
  if (texts.every((t) => /^\(?\d{1,2}\)?$/.test(t))) return true;
  const code = row.cells[layout.indexByKey.get(keyColumn)!];
  const codeBlank = code === null || code === undefined || String(code).trim() === "";
  return codeBlank && texts.some((t) => /^(tong cong|tong so|tong|cong|total)\b/.test(matchKey(t)));
}
