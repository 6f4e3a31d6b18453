import readline from "node:readline";
import type { Command } from "commander";
import { createServices } from "../services.ts";
import { normalizeVietnamPhone } from "../shared/phone.ts";
import { loadDemoDataIfEmpty } from "../demo/loadDemoData.ts";

const HELP = "Type a number or words and press Enter. /dial hangs up and dials again, /quit leaves.";

/**
 * A feature phone in the terminal: the real engine, flows and database, through the same USSD
 * channel a gateway reaches. Interactive on a terminal; from a pipe, one input per line.
 */
export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("talk to the bot in the terminal, as a phone on a channel would (interactive, or one input per line from stdin)")
    .requiredOption("--phone <number>", "the caller's phone number, e.g. 0912345678")
    .option("--channel <channel>", "the channel to simulate", "ussd")
    .action(async (options: { phone: string; channel: string }) => {
      if (options.channel !== "ussd") throw new Error(`channel "${options.channel}" is not available yet: use --channel ussd`);
      const phone = normalizeVietnamPhone(options.phone);
      if (!phone.ok) throw new Error(`--phone: "${options.phone}" is not a Vietnamese phone number`);
      const services = createServices();
      await loadDemoDataIfEmpty(services);
      const interactive = process.stdin.isTTY === true;
      let dial = 0;
      let history: string | null = null;
      const sessionId = () => `sim-${process.pid}-${dial}`;

      const send = async (input: string | null) => {
        if (input === null) {
          dial += 1;
          history = "";
        } else {
          history = history ? `${history}*${input}` : input;
        }
        const screen = await services.ussd.answer({
          sessionId: sessionId(),
          msisdn: phone.e164,
          latestInput: input ?? "",
          isNewDial: input === null,
          requestKey: `${sessionId()}\u0000${history}`,
        });
        process.stdout.write(`\n${"-".repeat(24)}\n${screen.text}\n${"-".repeat(24)} ${screen.end ? "[END]" : "[CON]"} ${screen.text.length} chars\n`);
        if (screen.end) history = null;
      };

      if (interactive) process.stdout.write(`${HELP}\n`);
      await send(null);
      const lines = readline.createInterface({ input: process.stdin, terminal: false });
      if (interactive) process.stdout.write("> ");
      for await (const line of lines) {
        const input = line.trim();
        if (input === "/quit") break;
        if (!interactive) process.stdout.write(`> ${input}\n`);
        if (input === "/dial" || history === null) await send(null);
        else await send(input);
        if (interactive) process.stdout.write("> ");
      }
      await services.close();
    });
}
