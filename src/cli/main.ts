import { Command } from "commander";
import { registerServe } from "./serve.ts";
import { registerImport } from "./importCommand.ts";
import { registerFlows } from "./flowsCommand.ts";
import { registerSimulate } from "./simulate.ts";
import { registerDemo } from "./demoCommand.ts";
import { registerOutbox } from "./outboxCommand.ts";
import { registerExport } from "./exportCommand.ts";
import { registerMethodChanges } from "./methodChangesCommand.ts";
import { registerUsers } from "./usersCommand.ts";
import { registerDb } from "./dbCommand.ts";

const program = new Command()
  .name("ansinh")
  .description("AnSinh Bot: social assistance payments by USSD, Telegram and Zalo")
  .showHelpAfterError();

registerServe(program);
registerImport(program);
registerFlows(program);
registerSimulate(program);
registerDemo(program);
registerOutbox(program);
registerExport(program);
registerMethodChanges(program);
registerUsers(program);
registerDb(program);

program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`ansinh: ${error.message}\n`);
  process.exit(1);
});
