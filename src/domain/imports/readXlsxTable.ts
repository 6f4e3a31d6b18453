import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { ImportFileError } from "./importReport.ts";
import { isBlankCell, type CellValue, type Table, type TableRow } from "./table.ts";

/** Streaming reads that lose the race below are tried again this many times before reading whole. */
const STREAM_ATTEMPTS = 3;

/**
 * The first worksheet of an .xlsx file. exceljs's streaming reader is used because loading a
 * 100,000-row workbook whole takes over 1 GB and twice the time (measured here: 12.8 s and
 * 1.2 GB against 5.7 s and 250 MB). Styles are read so that date-formatted cells arrive as Dates.
 *
 * That reader sometimes reaches a worksheet before it has read the workbook's list of sheets and
 * fails with "Cannot read properties of undefined (reading 'sheets')" (exceljs issue #3064: a race
 * in its single streaming pass over the zip, seen here about once in a few hundred reads). The
 * file is fine: the read is tried again, and in the end the workbook is read whole.
 */
export async function readXlsxTable(bytes: Buffer, readStreaming: (bytes: Buffer) => Promise<Table> = streamFirstWorksheet): Promise<Table> {
  for (let attempt = 1; attempt <= STREAM_ATTEMPTS; attempt++) {
    try {
      return await readStreaming(bytes);
    } catch (error) {
      if (!lostTheSheetListRace(error)) throw unreadable(error);
    }
  }
  try {
    return await loadFirstWorksheet(bytes);
  } catch (error) {
    throw unreadable(error);
  }
}

function lostTheSheetListRace(error: unknown): boolean {
  return error instanceof TypeError && error.message.includes("reading 'sheets'");
}

function unreadable(error: unknown): ImportFileError {
  if (error instanceof ImportFileError) return error;
  return new ImportFileError(`The .xlsx file cannot be read (${(error as Error).message}). Open it in Excel and save it again.`);
}

async function streamFirstWorksheet(bytes: Buffer): Promise<Table> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const rows: TableRow[] = [];
  let found = false;
  for await (const worksheet of reader) {
    // The zip may hold sheets in any order: "first" means first tab in the workbook.
    const firstTab = (reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets?.[0]?.name;
    const name = (worksheet as unknown as { name?: string }).name;
    if (firstTab !== undefined && name !== undefined && name !== firstTab) continue;
    found = true;
    for await (const row of worksheet) rows.push(...tableRow(row.number, row.values as unknown[]));
    break;
  }
  if (!found) throw new ImportFileError("The .xlsx file has no worksheet.");
  return { rows };
}

/** The whole workbook in memory: slower and heavier, but without the streaming reader's race. */
async function loadFirstWorksheet(bytes: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const worksheet = workbook.worksheets[0];
  if (!worksheet) throw new ImportFileError("The .xlsx file has no worksheet.");
  const rows: TableRow[] = [];
  worksheet.eachRow((row) => rows.push(...tableRow(row.number, row.values as unknown[])));
  return { rows };
}

/** One worksheet row (values[1] is column A) as a table row, or none when every cell is blank. */
function tableRow(rowNumber: number, values: unknown[]): TableRow[] {
  const cells: CellValue[] = [];
  for (let i = 1; i < values.length; i++) cells.push(toCellValue(values[i]));
  return cells.every(isBlankCell) ? [] : [{ rowNumber, cells }];
}

/** exceljs cell values (rich text, formulas, hyperlinks, errors) reduced to what the cell shows. */
function toCellValue(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text?: string }[]).map((r) => r.text ?? "").join("");
    if ("formula" in v || "sharedFormula" in v) return toCellValue(v.result);
    if ("hyperlink" in v || "text" in v) return toCellValue(v.text);
    if ("error" in v) return String(v.error);
  }
  return String(value);
}
