import type { Command } from "commander";
import { checkProjectFlows } from "../flowsCheck/checkProjectFlows.ts";
import { loadConfig } from "../config.ts";
import { audioDirOf } from "../channels/voice/voiceRecordings.ts";

export function registerFlows(program: Command): void {
  const flows = program.command("flows").description("work with the conversation flows in flows/");
  flows
    .command("check")
    .description("validate every flow: shape, unknown actions and validators, missing translations, unreachable nodes, jumps to nowhere, USSD screens over the limit")
    .option("--screen-limit <n>", "USSD screen limit in characters", String(loadConfig().ussdScreenLimit))
    .action((options: { screenLimit: string }) => {
      const report = checkProjectFlows({ ussdScreenLimit: Number(options.screenLimit), audioDir: audioDirOf(loadConfig().voice) });
      for (const line of report.problems) process.stdout.write(`✗ ${line}\n`);
      for (const line of report.warnings) process.stdout.write(`! ${line}\n`);
      // Information for a province recording prompts: calls speak these with the provider's voice.
      for (const [locale, keys] of Object.entries(report.unrecorded)) {
        if (keys.length) process.stdout.write(`i ${locale}: ${keys.length} sentence(s) without a recording (spoken on calls): ${keys.join(", ")}\n`);
      }
      process.stdout.write(
        report.problems.length
          ? `${report.problems.length} problem(s) in ${report.flowCount} flows\n`
          : `✓ ${report.flowCount} flows, ${report.nodeCount} nodes: all reachable, all keys translated in ${report.locales.join(", ")}, every USSD screen within ${options.screenLimit} characters\n`,
      );
      if (report.problems.length) process.exitCode = 1;
    });
}
