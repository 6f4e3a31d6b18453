import fs from "node:fs";
import { readTable } from "../src/domain/imports/readTable.ts";
import { locateColumns, isLayoutRow } from "../src/domain/imports/paymentListColumns.ts";
import { rowCells } from "../src/domain/imports/cellText.ts";
import { validatePaymentRow } from "../src/domain/imports/validatePaymentRow.ts";
const file = process.argv[2];
const table = await readTable(file, fs.readFileSync(file));
const layout = locateColumns(table.rows);
const t = performance.now();
let n = 0;
for (const row of table.rows) { if (row.rowNumber <= layout.headerRowNumber || isLayoutRow(row, layout)) continue; const c = rowCells(row.rowNumber, row.cells, layout.indexByKey); const v = validatePaymentRow(c, "2025-11-29"); if (v.row) n++; }
console.log(n, performance.now() - t);
