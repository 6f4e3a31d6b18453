import { todayInVietnam } from "../../shared/dates.ts";
import { rowCells } from "./cellText.ts";
import { DuplicateRowFinder } from "./findDuplicateRows.ts";
import type { ImportProblem } from "./importReport.ts";
import { isLayoutRow, type ColumnKey, type ColumnLayout } from "./paymentListColumns.ts";
import type { Table } from "./table.ts";
import { validatePaymentRow, type PaymentListRow } from "./validatePaymentRow.ts";

export interface ListValidation {
  accepted: PaymentListRow[];
  rejected: number;
  problems: ImportProblem[];
}

/** Checks every data row below the header; a row with any problem is rejected whole. */
export function validatePaymentList(table: Table, layout: ColumnLayout<ColumnKey>, today = todayInVietnam()): ListValidation {
  const accepted: PaymentListRow[] = [];
  const problems: ImportProblem[] = [];
  let rejected = 0;
  const duplicates = new DuplicateRowFinder();
  for (const row of table.rows) {
    if (row.rowNumber <= layout.headerRowNumber || isLayoutRow(row, layout)) continue;
    const cells = rowCells(row.rowNumber, row.cells, layout.indexByKey);
    const result = validatePaymentRow(cells, today);
    const rowProblems = [...result.problems, ...duplicates.check(row.rowNumber, cells.text.beneficiary_code ?? "", cells.text.citizen_id ?? "")];
    if (result.row && rowProblems.length === 0) {
      accepted.push(result.row);
    } else {
      rejected++;
      problems.push(...rowProblems);
    }
  }
  return { accepted, rejected, problems };
}
