import fs from "node:fs";
import path from "node:path";
import { ImportFileError } from "./importReport.ts";
import { readCsvTable } from "./readCsvTable.ts";
import { readXlsxTable } from "./readXlsxTable.ts";
import type { Table } from "./table.ts";

/** A list file as an import uses it: its name for the report, its bytes for the ImportRun's hash, and its rows. */
export async function readListFile(filePath: string): Promise<{ fileName: string; bytes: Buffer; table: Table }> {
  const fileName = path.basename(filePath);
  const bytes = fs.readFileSync(filePath);
  return { fileName, bytes, table: await readTable(fileName, bytes) };
}

/** Reads a list file's bytes (read once, so they can also be hashed); the type comes from the extension. */
async function readTable(fileName: string, bytes: Buffer): Promise<Table> {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === ".csv") return readCsvTable(bytes);
  if (extension === ".xlsx") return readXlsxTable(bytes);
  const hint = extension === ".xls" ? " Old .xls files: open in Excel and save as .xlsx." : "";
  throw new ImportFileError(
    `Cannot read "${path.basename(fileName)}": the file must be .csv or .xlsx (it is ${extension || "without an extension"}).${hint}`,
  );
}
