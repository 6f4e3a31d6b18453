import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findPersonalNumbersInLog, knownAccountNumbers } from "./helpers/personalNumbersInLogs.ts";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Every log line of the run (of the test processes and of the processes they start, which inherit
 * LOG_FILE) goes to a fresh file; at the end the run fails if any line holds a citizen ID, a phone
 * or an account number. The failure names the line, never the number.
 */
export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-logs-"));
  const file = path.join(dir, "run.log");
  fs.writeFileSync(file, "");
  process.env.LOG_FILE = file;
  process.env.LOG_FILE_LEVEL ??= "info";
  return () => {
    const found = findPersonalNumbersInLog(file, knownAccountNumbers(PROJECT_ROOT));
    if (found.length > 0) {
      // Vitest reports an error thrown here but still exits 0: the exit code is set too.
      process.exitCode = 1;
      throw new Error(`personal numbers in the logs of this run (the file is kept):\n${found.slice(0, 50).join("\n")}${found.length > 50 ? `\n… and ${found.length - 50} more` : ""}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
