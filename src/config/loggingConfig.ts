import { setting, type Env } from "./readSettings.ts";
import type { Settings } from "./variables.ts";

export type LogLevel = NonNullable<Settings["LOG_LEVEL"]>;

export interface LoggingConfig {
  /** From this level up, lines are printed (stdout, warnings and errors on stderr). */
  level: LogLevel;
  /** Every line from `fileLevel` up is also appended here; null: no file. */
  file: string | null;
  fileLevel: LogLevel;
}

/** LOG_LEVEL (by default `info`, `warn` under the tests), LOG_FILE and LOG_FILE_LEVEL (by default LOG_LEVEL). */
export function loggingFrom(settings: Pick<Settings, "LOG_LEVEL" | "LOG_FILE" | "LOG_FILE_LEVEL" | "NODE_ENV">): LoggingConfig {
  const level = settings.LOG_LEVEL ?? (settings.NODE_ENV === "test" ? "warn" : "info");
  return { level, file: settings.LOG_FILE, fileLevel: settings.LOG_FILE_LEVEL ?? level };
}

let last: { key: string; config: LoggingConfig } | null = null;

/**
 * The logger's settings, read from the environment at each line (a test may change LOG_LEVEL) and
 * parsed again only when they changed. Throws a ConfigError on a bad value.
 */
export function loggingConfig(env: Env = process.env): LoggingConfig {
  const key = `${env.LOG_LEVEL}\n${env.LOG_FILE}\n${env.LOG_FILE_LEVEL}\n${env.NODE_ENV}`;
  if (last?.key !== key) {
    const config = loggingFrom({
      LOG_LEVEL: setting("LOG_LEVEL", env),
      LOG_FILE: setting("LOG_FILE", env),
      LOG_FILE_LEVEL: setting("LOG_FILE_LEVEL", env),
      NODE_ENV: setting("NODE_ENV", env),
    });
    last = { key, config };
  }
  return last.config;
}
