import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { secretFor } from "../db/secretFor.ts";
import { ExportError, exportMethodChanges, METHOD_CHANGE_EXPORT_COLUMNS } from "../domain/exports/exportMethodChanges.ts";

export function registerExport(program: Command): void {
  const command = program.command("export").description("write files for the labour office");
  command
    .command("method-changes <file>")
    .description(
      "write the payment-method changes staff approved (CSV or XLSX, by the file's extension) for the labour office to apply " +
        "in the payment list of --period, and mark them exported. The file holds FULL account numbers, opened with the " +
        "deployment secret, because the labour office needs them to pay: send it only to the labour office, keep it safe, " +
        "delete it when done. The numbers are never printed or logged. An existing file is never overwritten.\n" +
        `Columns: ${METHOD_CHANGE_EXPORT_COLUMNS.join(", ")}.`,
    )
    .requiredOption("--period <yyyy-mm>", "the payment list the changes are for, e.g. 2026-12 (written into the file's period column)")
    .option("--dry-run", "count the approved requests, without writing a file or marking anything")
    .action(async (file: string, options: { period: string; dryRun?: boolean }) => {
      const db = await openDatabase(loadConfig().databaseUrl);
      try {
        const result = await exportMethodChanges(db, { period: options.period, file, secret: secretFor(db), dryRun: options.dryRun });
        const methods = Object.entries(result.byMethod)
          .map(([method, n]) => `${method} ${n}`)
          .join(", ");
        const what = `${result.count} request${result.count === 1 ? "" : "s"}${methods ? ` (${methods})` : ""}`;
        if (result.dryRun) {
          process.stdout.write(`Dry run: ${what} approved and not yet exported, for the ${result.period} list. Nothing was written.\n`);
        } else if (result.count === 0) {
          process.stdout.write(`0 requests: nothing approved since the last export. No file was written.\n`);
        } else {
          process.stdout.write(`Exported ${what} for the ${result.period} list to ${result.file}; they are marked exported.\n`);
          process.stdout.write("The file holds full account numbers: send it only to the labour office.\n");
        }
      } catch (error) {
        if (!(error instanceof ExportError)) throw error;
        process.stdout.write(`${error.message}\n`);
        process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}
