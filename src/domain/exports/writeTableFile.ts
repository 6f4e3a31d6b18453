import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";

/** The file type an export writes, from the name's extension; null when it is neither .csv nor .xlsx. */
export function exportKind(file: string): "csv" | "xlsx" | null {
  const extension = path.extname(file).toLowerCase();
  return extension === ".csv" ? "csv" : extension === ".xlsx" ? "xlsx" : null;
}

/**
 * CSV as Excel opens it correctly: UTF-8 with a BOM (Vietnamese names), CRLF, cells quoted when
 * they hold a separator, quote or line break. Every value is written as given, as text.
 */
export function csvBytes(header: readonly string[], rows: readonly (readonly string[])[]): Buffer {
  const quote = (cell: string) => (/[",;\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = [header, ...rows].map((row) => row.map(quote).join(","));
  return Buffer.from("\uFEFF" + lines.join("\r\n") + "\r\n", "utf8");
}

/**
 * A one-sheet workbook whose cells are all text (format "@"): account numbers and phones keep
 * every digit and their leading zero, which a number cell would lose.
 */
export async function xlsxBytes(sheetName: string, header: readonly string[], rows: readonly (readonly string[])[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = header.map((key) => ({ header: key, key, width: Math.max(12, key.length + 2), style: { numFmt: "@" } }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow([...row]);
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Writes the bytes to `file` only if no file is there, readable by the owner only (the file may
 * hold account numbers). Written beside it first and then linked into place, so the file is either
 * whole or absent, and an existing file is never overwritten, not even by a concurrent run.
 */
export function writeNewFile(file: string, bytes: Buffer): void {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  fs.writeFileSync(partial, bytes, { mode: 0o600 });
  try {
    fs.linkSync(partial, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new FileExistsError(file);
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EXDEV") throw error;
    // A file system without hard links: an exclusive copy still never overwrites.
    try {
      fs.copyFileSync(partial, file, fs.constants.COPYFILE_EXCL);
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === "EEXIST") throw new FileExistsError(file);
      throw copyError;
    }
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

class FileExistsError extends Error {
  constructor(readonly file: string) {
    super(`${file} already exists: give a new file name (an earlier export is never overwritten)`);
    this.name = "FileExistsError";
  }
}
