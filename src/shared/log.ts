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

function threshold(): number {
  const configured = (process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info")) as Level;
  return order[configured] ?? order.info;
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (order[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }, (_key, value) =>
    value instanceof Error ? { name: value.name, message: value.message } : value,
  );
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(redact(line) + "\n");
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
