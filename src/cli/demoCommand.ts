import type { Command } from "commander";
import { loadDemoDataIfEmpty } from "../demo/loadDemoData.ts";
import { describeDemoConsoleAccounts } from "../demo/demoConsoleAccounts.ts";
import { withServices } from "./withServices.ts";

export function registerDemo(program: Command): void {
  const demo = program.command("demo").description("the demo data (DEMO- codes, not real people)");
  demo
    .command("load")
    .description("load the demo data into the database if it has no beneficiaries yet")
    .action(() =>
      withServices(async (services) => {
        const loaded = await loadDemoDataIfEmpty(services);
        process.stdout.write(
          loaded
            ? `Loaded demo data: ${loaded.beneficiaries} beneficiaries, ${loaded.payments} payments.\n`
            : "The database already has beneficiaries: demo data was not loaded.\n",
        );
        if (loaded?.consoleAccounts) process.stdout.write(describeDemoConsoleAccounts(loaded.consoleAccounts, `http://localhost:${services.config.port}/console`));
      }),
    );
}
