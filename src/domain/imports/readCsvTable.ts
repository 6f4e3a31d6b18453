import { parse } from "csv-parse/sync";
import { ImportFileError } from "./importReport.ts";
import { isBlankCell, type Table } from "./table.ts";

/**
 * CSV as offices produce it: UTF-8 with or without a BOM (Excel's "CSV UTF-8" writes one),
 * UTF-16 ("Unicode text"), and ";" as separator where Excel's regional settings use a decimal
 * comma. Row numbers are counted the way Excel shows them when it opens the file: one per record,
 * blank lines included, a quoted cell spanning lines still one row.
 */
export function readCsvTable(bytes: Buffer): Table {
  const text = decodeText(bytes);
  const records: string[][] = parse(text, {
    delimiter: sniffDelimiter(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  const rows = [];
  for (let i = 0; i < records.length; i++) {
    const cells = records[i];
    if (cells.every(isBlankCell)) continue;
    rows.push({ rowNumber: i + 1, cells });
  }
  return { rows };
}

function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decodeUtf8(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString("utf16le");
  return decodeUtf8(bytes);
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Legacy Vietnamese encodings (TCVN3, VNI, Windows-1258) would turn names into garbage silently.
    throw new ImportFileError(
      'The CSV file is not UTF-8 text. In Excel use "Save As" → "CSV UTF-8 (Comma delimited)", or import the .xlsx file.',
    );
  }
}

/**
 * The separator is whichever of , ; or tab occurs most outside quotes in the first few lines
 * (a few, not one: a title line above the header may have no separators at all).
 */
function sniffDelimiter(text: string): string {
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  let lines = 0;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "\n" && ++lines === 5) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  const [best, count] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return count > 0 ? best : ",";
}
