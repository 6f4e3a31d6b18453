import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import { openDatabase, type AppDatabase } from "../db/database.ts";
import { secretFor } from "../db/secretFor.ts";
import { importCommuneList } from "../domain/imports/importCommuneList.ts";
import { formatImportReport, ImportFileError } from "../domain/imports/importReport.ts";
import { importPaymentList } from "../domain/imports/importPaymentList.ts";
import { formatResultImportReport, importResultList } from "../domain/imports/importResultList.ts";

interface ImportFlags {
  dryRun?: boolean;
  allOrNothing?: boolean;
}

/** Progress on stderr: a live counter on a terminal, a line per step when piped to a log. */
function progressPrinter() {
  return process.stderr.isTTY
    ? (done: number, total: number) => process.stderr.write(`\r${done}/${total} rows`)
    : (done: number, total: number) => process.stderr.write(`${done}/${total} rows\n`);
}

/**
 * Runs one import on the configured database and prints its report. Exit status: 0 when every
 * row was accepted, 2 when some were rejected, 1 when the file itself could not be imported.
 */
async function runImport<Report extends Parameters<typeof formatImportReport>[0]>(
  listName: string,
  run: (db: AppDatabase) => Promise<Report>,
  format: (report: Report) => string = (report) => formatImportReport(report, "en", listName),
): Promise<void> {
  const db = await openDatabase(loadConfig().databaseUrl);
  try {
    const report = await run(db);
    if (process.stderr.isTTY) process.stderr.write("\n");
    process.stdout.write(format(report) + "\n");
    if (report.rejected > 0) process.exitCode = 2;
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    process.stdout.write(`${error.message}\n${error.problems.map((p) => `row ${p.row}, column ${p.column}: ${p.reason}`).join("\n")}\n`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

export function registerImport(program: Command): void {
  const command = program.command("import").description("import lists from the labour office and the communes");
  command
    .command("payments <file>")
    .description("import a monthly payment list (CSV or XLSX); bad rows are reported with row, column and reason, good rows land")
    .option("--dry-run", "check the file and report what would change, without writing")
    .option("--all-or-nothing", "write nothing if any row is rejected")
    .action((file: string, options: ImportFlags) =>
      runImport("Payment list", (db) =>
        importPaymentList(db, file, { ...options, secret: secretFor(db), onProgress: progressPrinter() }),
      ),
    );
  command
    .command("communes <file>")
    .description("import commune information (office address, hours, phone, pay-point schedule) from CSV or XLSX")
    .option("--dry-run", "check the file and report what would change, without writing")
    .option("--all-or-nothing", "write nothing if any row is rejected")
    .action((file: string, options: ImportFlags) => runImport("Commune list", (db) => importCommuneList(db, file, options)));
  command
    .command("results <file>")
    .description(
      "import payment results (CSV or XLSX: beneficiary_code, period, status paid|failed|returned, optional paid_at, reference, " +
        "failure_reason); changed payments are audited and their people are told",
    )
    .option("--dry-run", "check the file and report what would change, without writing or queuing any message")
    .option("--all-or-nothing", "write nothing if any row is rejected")
    .action((file: string, options: ImportFlags) =>
      runImport("Payment results", (db) => importResultList(db, file, { ...options, onProgress: progressPrinter() }), (report) =>
        formatResultImportReport(report),
      ),
    );
}
