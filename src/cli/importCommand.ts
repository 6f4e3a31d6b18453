import type { Command } from "commander";
import { openDatabase } from "../db/database.ts";
import { secretFor } from "../db/secretFor.ts";
import { formatImportReport } from "../domain/imports/importReport.ts";
import { importPaymentList } from "../domain/imports/importPaymentList.ts";
import { loadConfig } from "../config.ts";

export function registerImport(program: Command): void {
  const command = program.command("import").description("import lists from the labour office");
  command
    .command("payments <file>")
    .description("import a monthly payment list (CSV or XLSX); bad rows are reported with row, column and reason, good rows land")
    .option("--dry-run", "check the file and report what would change, without writing")
    .option("--all-or-nothing", "write nothing if any row is rejected")
    .action(async (file: string, options: { dryRun?: boolean; allOrNothing?: boolean }) => {
      const db = openDatabase(loadConfig().databaseUrl);
      try {
        const progress = process.stderr.isTTY
          ? (done: number, total: number) => process.stderr.write(`\r${done}/${total} rows`)
          : (done: number, total: number) => process.stderr.write(`${done}/${total} rows\n`);
        const report = await importPaymentList(db, file, {
          dryRun: options.dryRun,
          allOrNothing: options.allOrNothing,
          secret: secretFor(db),
          onProgress: progress,
        });
        if (process.stderr.isTTY) process.stderr.write("\n");
        process.stdout.write(formatImportReport(report) + "\n");
        if (report.rejected > 0) process.exitCode = 2;
      } finally {
        await db.close();
      }
    });
}
