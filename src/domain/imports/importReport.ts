/** One thing wrong in the list, located the way a clerk finds it in the spreadsheet. */
export interface ImportProblem {
  /** Spreadsheet row number (the header is normally row 1, the first data row row 2). */
  row: number;
  /** The column key (e.g. "citizen_id"), whatever the file's own header says. */
  column: string;
  /** What is wrong and what to write instead. Never contains an ID, phone or account number. */
  reason: string;
}

/**
 * What an import of any list did (or, in a dry run, would do). Data rows exclude the header,
 * blank rows, a column-number row and a total row. Each is counted once: `rows = accepted +
 * rejected` (unless aborted, when nothing is accepted), and each accepted row is exactly one of
 * created, updated or unchanged.
 */
export interface ListImportReport {
  fileName: string;
  rows: number;
  accepted: number;
  rejected: number;
  created: number;
  updated: number;
  unchanged: number;
  problems: ImportProblem[];
  dryRun: boolean;
  /** allOrNothing was asked and some row was bad: nothing was written, `accepted` is 0. */
  aborted: boolean;
}

/** The payment list's report: a row is "created" when its payment for the period is new. */
export interface ImportReport extends ListImportReport {
  /** The periods (yyyy-mm) the accepted rows pay. */
  periods: string[];
  /** Header cells that matched no known column: shown so a misspelt optional column is noticed. */
  ignoredColumns: string[];
}

/** The report of a validated list before anything is written: the counts of writing are filled in later. */
export function validatedReport(
  fileName: string,
  validation: { accepted: number; rejected: number; problems: ImportProblem[] },
  options: { dryRun?: boolean; allOrNothing?: boolean },
): ListImportReport {
  const aborted = (options.allOrNothing ?? false) && validation.rejected > 0;
  return {
    fileName,
    rows: validation.accepted + validation.rejected,
    accepted: aborted ? 0 : validation.accepted,
    rejected: validation.rejected,
    created: 0,
    updated: 0,
    unchanged: 0,
    problems: validation.problems,
    dryRun: options.dryRun ?? false,
    aborted,
  };
}

/**
 * A problem with the file as a whole (unknown file type, missing column, unreadable text).
 * Thrown before anything is written.
 */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly problems: ImportProblem[] = [],
  ) {
    super(message);
    this.name = "ImportFileError";
  }
}

/**
 * The report as plain text for the CLI: the counts, then one line per problem
 * ("row 7, column citizen_id: must be 12 digits"). Reasons are written in English;
 * `locale` only changes how numbers are grouped.
 */
export function formatImportReport(
  report: ListImportReport & Partial<Pick<ImportReport, "periods" | "ignoredColumns">>,
  locale = "en",
  listName = "Payment list",
): string {
  const n = (value: number) => value.toLocaleString(locale);
  const lines: string[] = [];
  const title = report.dryRun ? `Dry run of ${listName.toLowerCase()}` : listName;
  const periods = report.periods ?? [];
  lines.push(`${title} ${report.fileName}${periods.length ? ` (period ${periods.join(", ")})` : ""}`);
  lines.push(`rows read: ${n(report.rows)}`);
  lines.push(`accepted:  ${n(report.accepted)}`);
  lines.push(`rejected:  ${n(report.rejected)}`);
  lines.push(`created:   ${n(report.created)}`);
  lines.push(`updated:   ${n(report.updated)}`);
  lines.push(`unchanged: ${n(report.unchanged)}`);
  if (report.aborted) {
    lines.push(
      `Nothing was written: all-or-nothing was asked and ${n(report.rejected)} of ${n(report.rows)} rows have problems. ` +
        `Correct them and import the file again.`,
    );
  } else if (report.dryRun) {
    lines.push("Dry run: nothing was written; the counts say what an import would do.");
  }
  if (report.ignoredColumns?.length) {
    lines.push(`Columns not used: ${report.ignoredColumns.join(", ")}`);
  }
  if (report.problems.length) {
    lines.push(`Problems (${n(report.problems.length)}):`);
    for (const p of report.problems) lines.push(`row ${p.row}, column ${p.column}: ${p.reason}`);
  }
  return lines.join("\n");
}
