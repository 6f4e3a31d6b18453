import fs from "node:fs";
import { loggingConfig, type LoggingConfig, type LogLevel } from "../config/loggingConfig.ts";
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

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** What a bad LOG_* value leaves: start-up reports it (loadConfig), and a log line must never throw. */
const UNCONFIGURED: LoggingConfig = { level: "info", file: null, fileLevel: "info" };

function settings(): LoggingConfig {
  try {
    return loggingConfig();
  } catch {
    return UNCONFIGURED;
  }
}

function write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
  const { level: printFrom, file, fileLevel } = settings();
  const printed = order[level] >= order[printFrom];
  const filed = file !== null && order[level] >= order[fileLevel];
  if (!printed && !filed) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: value.message } : value,
  );
  const text = redact(line) + "\n";
  if (printed) (level === "error" || level === "warn" ? process.stderr : process.stdout).write(text);
  if (filed) appendToLogFile(file, text);
}

/**
 * LOG_FILE (optional): every line is also appended to this file (from LOG_FILE_LEVEL up, by default
 * LOG_LEVEL's), by this process and by every process it starts (they inherit the variables). One short append per line (O_APPEND), so
 * the lines of several processes do not mix. The tests use it to check a whole run's logs.
 */
function appendToLogFile(file: string, text: string): void {
  try {
    fs.appendFileSync(file, text);
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
