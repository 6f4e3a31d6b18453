import { formatCalendarDate } from "../../shared/dates.ts";
import { maskNumbersInText } from "../../shared/mask.ts";
import { rowCells } from "./cellText.ts";
import type { ColumnLayout } from "./columnLayout.ts";
import type { ImportProblem } from "./importReport.ts";
import { parseListPeriod } from "./parseListValues.ts";
import type { Table } from "./table.ts";
import { isResultLayoutRow, type ResultColumnKey } from "./resultListColumns.ts";
import { paidAtCellText, parsePaidAt, parseResultStatus, spoiltReference, vietnamDate, type PaidAt, type ResultStatus } from "./resultListValues.ts";

/** Longest texts kept: a reference is a transaction number; a reason is read out to the person. */
const MAX_REFERENCE_LENGTH = 100;
const MAX_FAILURE_REASON_LENGTH = 300;

/** One result as the file states it, checked on its own (whether the payment exists is checked later). */
export interface ResultRow {
  row: number;
  code: string;
  period: string;
  status: ResultStatus;
  paidAt: PaidAt | null;
  /** null when the cell is blank: the stored reference is kept. */
  reference: string | null;
  /** null when the cell is blank. Long numbers in it are masked. */
  failureReason: string | null;
}

export interface ResultRowsValidation {
  rows: ResultRow[];
  /** Problems by spreadsheet row, for rows rejected already. */
  problemsByRow: Map<number, ImportProblem[]>;
  /** Data rows read (accepted here or not). */
  count: number;
}

/**
 * Checks every data row below the header for what can be told from the row alone: the code is
 * there, the period, status and date read, the date is not in the future, the fields agree with
 * the status, and the same payment (code + period) is not on an earlier row.
 */
export function validateResultRows(table: Table, layout: ColumnLayout<ResultColumnKey>, now: Date): ResultRowsValidation {
  const rows: ResultRow[] = [];
  const problemsByRow = new Map<number, ImportProblem[]>();
  const firstRowByPayment = new Map<string, number>();
  const paidAtIndex = layout.indexByKey.get("paid_at");
  const referenceIndex = layout.indexByKey.get("reference");
  let count = 0;
  for (const tableRow of table.rows) {
    if (tableRow.rowNumber <= layout.headerRowNumber || isResultLayoutRow(tableRow, layout)) continue;
    count++;
    const cellsIn = paidAtIndex === undefined ? tableRow.cells : tableRow.cells.slice();
    if (paidAtIndex !== undefined) cellsIn[paidAtIndex] = paidAtCellText(tableRow.cells[paidAtIndex] ?? null);
    const cells = rowCells<ResultColumnKey>(tableRow.rowNumber, cellsIn, layout.indexByKey);
    const rowNumber = tableRow.rowNumber;
    const problems: ImportProblem[] = cells.spoilt.map((s) => ({ row: rowNumber, column: s.column, reason: s.reason }));
    const problem = (column: ResultColumnKey, reason: string) => problems.push({ row: rowNumber, column, reason });
    const text = (key: ResultColumnKey) => (cells.text[key] ?? "").replace(/\s+/g, " ").trim();

    const code = text("beneficiary_code");
    if (!code) problem("beneficiary_code", "is empty: write the beneficiary code (mã đối tượng) as on the payment list");

    const periodText = text("period");
    const period = periodText ? parseListPeriod(periodText) : null;
    if (!periodText) problem("period", "is empty: write the period paid, yyyy-mm (e.g. 2025-07)");
    else if (!period) problem("period", `"${periodText}" is not a period: write yyyy-mm, e.g. 2025-07`);

    const statusText = text("status");
    let status: ResultStatus | null = null;
    if (!statusText) {
      problem("status", "is empty: write paid (đã chi trả), failed (không thành công) or returned (trả lại)");
    } else {
      const parsed = parseResultStatus(statusText);
      if (parsed.ok) status = parsed.value;
      else problem("status", parsed.reason);
    }

    const paidAtText = text("paid_at");
    let paidAt: PaidAt | null = null;
    if (paidAtText) {
      const parsed = parsePaidAt(paidAtText);
      if (!parsed.ok) problem("paid_at", parsed.reason);
      else if (parsed.value.dateOnly ? parsed.value.localDate > vietnamDate(now) : parsed.value.at.getTime() > now.getTime()) {
        problem("paid_at", `${formatCalendarDate(parsed.value.localDate)} is in the future: a payment cannot be paid before it happens; check the date`);
      } else paidAt = parsed.value;
      if (status === "failed") problem("paid_at", "a failed payment was not paid: leave paid_at blank and write why in failure_reason");
    }

    const referenceText = text("reference");
    if (referenceIndex !== undefined) {
      const spoilt = spoiltReference(tableRow.cells[referenceIndex] ?? null);
      if (spoilt) problem("reference", spoilt);
    }
    if (referenceText.length > MAX_REFERENCE_LENGTH) {
      problem("reference", `is ${referenceText.length} characters long: keep it under ${MAX_REFERENCE_LENGTH}`);
    }

    const reasonText = text("failure_reason");
    if (reasonText.length > MAX_FAILURE_REASON_LENGTH) {
      problem("failure_reason", `is ${reasonText.length} characters long: keep it under ${MAX_FAILURE_REASON_LENGTH}`);
    }
    if (reasonText && status === "paid") {
      problem("failure_reason", "a paid payment has no failure reason: leave it blank, or write failed or returned in status");
    }

    if (code && period) {
      const key = `${period}|${code}`;
      const first = firstRowByPayment.get(key);
      if (first !== undefined) problem("beneficiary_code", `${code} for ${period} is already on row ${first}: one result per payment, keep one row`);
      else firstRowByPayment.set(key, rowNumber);
    }

    if (problems.length || !status || !period) {
      problemsByRow.set(rowNumber, problems);
      continue;
    }
    rows.push({
      row: rowNumber,
      code,
      period,
      status,
      paidAt,
      reference: referenceText || null,
      failureReason: reasonText ? maskNumbersInText(reasonText) : null,
    });
  }
  return { rows, problemsByRow, count };
}
