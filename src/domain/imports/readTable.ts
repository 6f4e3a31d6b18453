import path from "node:path";
import { ImportFileError } from "./importReport.ts";
import { readCsvTable } from "./readCsvTable.ts";
import { readXlsxTable } from "./readXlsxTable.ts";

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

export const SUPPORTED_EXTENSIONS = [".csv", ".xlsx"] as const;

/** Reads a payment list file (bytes already read, so they can also be hashed); the type comes from the extension. */
export async function readTable(fileName: string, bytes: Buffer): Promise<Table> {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === ".csv") return readCsvTable(bytes);
  if (extension === ".xlsx") return readXlsxTable(bytes);
  const hint = extension === ".xls" ? " Old .xls files: open in Excel and save as .xlsx." : "";
  throw new ImportFileError(
    `Cannot read "${path.basename(fileName)}": the file must be .csv or .xlsx (it is ${extension || "without an extension"}).${hint}`,
  );
}

export function isBlankCell(value: CellValue): boolean {
  return value === null || (typeof value === "string" && value.trim() === "");
}
