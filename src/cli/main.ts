import { Command } from "commander";
import { loadConfig } from "../config.ts";

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: the service's modules (grammY, the
 * console, the Prisma client…) take seconds to load through tsx, and `ansinh import payments`
 * needs none of them. Help and an unknown command load them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import("./serve.ts")).registerServe,
  import: async () => (await import("./importCommand.ts")).registerImport,
  flows: async () => (await import("./flowsCommand.ts")).registerFlows,
  simulate: async () => (await import("./simulate.ts")).registerSimulate,
  demo: async () => (await import("./demoCommand.ts")).registerDemo,
  outbox: async () => (await import("./outboxCommand.ts")).registerOutbox,
  export: async () => (await import("./exportCommand.ts")).registerExport,
  "method-changes": async () => (await import("./methodChangesCommand.ts")).registerMethodChanges,
  users: async () => (await import("./usersCommand.ts")).registerUsers,
  db: async () => (await import("./dbCommand.ts")).registerDb,
  sms: async () => (await import("./smsCommand.ts")).registerSms,
  privacy: async () => (await import("./privacyCommand.ts")).registerPrivacy,
};

const program = new Command()
  .name("ansinh")
  .description("AnSinh Bot: social assistance payments by USSD, Telegram and Zalo")
  .showHelpAfterError();

function fail(error: Error): never {
  process.stderr.write(`ansinh: ${error.message}\n`);
  process.exit(1);
}

const asked = process.argv[2];
const known = asked !== undefined && asked in COMMANDS;
// Every bad variable stops a command before it starts, all named at once (src/config/variables.ts).
if (known) {
  try {
    loadConfig();
  } catch (error) {
    fail(error as Error);
  }
}
const loaders = known ? [COMMANDS[asked]] : Object.values(COMMANDS);
for (const register of await Promise.all(loaders.map((load) => load()))) register(program);

program.parseAsync(process.argv).catch(fail);
