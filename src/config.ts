/** Configuration from the environment, with the defaults a laptop needs. Documented in the README. */
export interface Config {
  port: number;
  databaseUrl: string;
  /** Minutes of inactivity after which a conversation starts afresh. */
  sessionIdleMinutes: number;
  identificationMaxAttempts: number;
  identificationLockMinutes: number;
  ussdScreenLimit: number;
  /** Whether `serve` loads demo data into an empty database. */
  loadDemoData: boolean;
  defaultLocale: "vi" | "en";
}

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

export function loadConfig(): Config {
  return {
    port: intFromEnv("PORT", 3000, 0, 65535),
    databaseUrl: process.env.DATABASE_URL ?? "file:./data/ansinh.db",
    sessionIdleMinutes: intFromEnv("SESSION_IDLE_MINUTES", 10, 1, 24 * 60),
    identificationMaxAttempts: intFromEnv("IDENTIFICATION_MAX_ATTEMPTS", 5, 1, 100),
    identificationLockMinutes: intFromEnv("IDENTIFICATION_LOCK_MINUTES", 30, 1, 7 * 24 * 60),
    ussdScreenLimit: intFromEnv("USSD_SCREEN_LIMIT", 160, 60, 182),
    loadDemoData: process.env.DEMO_DATA !== "off",
    defaultLocale: process.env.DEFAULT_LOCALE === "en" ? "en" : "vi",
  };
}
