import path from "node:path";
import { ImportFileError } from "./importReport.ts";
import { readCsvTable } from "./readCsvTable.ts";
import { readXlsxTable } from "./readXlsxTable.ts";
import type { Table } from "./table.ts";

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
