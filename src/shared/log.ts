import fs from "node:fs";
import { LONG_NUMBER } from "./mask.ts";

/**
 * A small JSON-lines logger whose one job beyond printing is to keep personal numbers out of
 * logs: any run of 9 or more digits (citizen IDs, account numbers, phone numbers, also with
 * spaces, dots, dashes or a leading +) is replaced before the line is written. Dates (8 digits)
 * and amounts stay readable. Key-based redaction
 * (as in pino) cannot catch a number inside free text, which is where these leak.
 */
export function redact(text: string): string {
  return text.replace(LONG_NUMBER, "[number]");
}

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(variable = "LOG_LEVEL"): number {
  const configured = (process.env[variable] ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info")) as Level;
  return order[configured] ?? order.info;
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  const printed = order[level] >= threshold();
  const filed = !!process.env.LOG_FILE && order[level] >= threshold("LOG_FILE_LEVEL");
  if (!printed && !filed) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: value.message } : value,
  );
  const text = redact(line) + "\n";
  if (printed) (level === "error" || level === "warn" ? process.stderr : process.stdout).write(text);
  if (filed) appendToLogFile(text);
}

/**
 * LOG_FILE (optional): every line is also appended to this file (from LOG_FILE_LEVEL up, by default
 * LOG_LEVEL's), by this process and by every process it starts (they inherit the variables). One short append per line (O_APPEND), so
 * the lines of several processes do not mix. The tests use it to check a whole run's logs.
 */
function appendToLogFile(text: string): void {
  try {
    fs.appendFileSync(process.env.LOG_FILE!, text);
  } catch {
    // A log file that cannot be written must not stop the service: the line went to stdout/stderr.
  }
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
