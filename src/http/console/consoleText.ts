import { createConsoleTranslator } from "../../i18n/consoleTranslator.ts";
import { LOCALES_DIR } from "../../shared/projectPaths.ts";

export type ConsoleText = ReturnType<typeof createConsoleTranslator>;

let shared: ConsoleText | null = null;
/** The console's sentences, read once per process. */
export function consoleText(): ConsoleText {
  shared ??= createConsoleTranslator(LOCALES_DIR);
  return shared;
}
