/** A spreadsheet as the import reads it, whether it came from CSV or XLSX (readTable.ts picks the reader). */

/**
 * A cell as the file holds it. CSV gives only strings; XLSX also gives numbers, booleans and
 * dates, which matter: a number in an ID column has lost its leading zero, a Date is a date.
 * Turning a cell into text is left to `cellText`, which knows what the column holds.
 */
export type CellValue = string | number | boolean | Date | null;

export interface TableRow {
  /** The row number a spreadsheet program shows for this row (1-based). */
  rowNumber: number;
  /** Cells by column position: cells[0] is column A. */
  cells: CellValue[];
}

/** Every row of the file that has at least one non-blank cell, header included, in order. */
export interface Table {
  rows: TableRow[];
}

export function isBlankCell(value: CellValue): boolean {
  return value === null || (typeof value === "string" && value.trim() === "");
}
