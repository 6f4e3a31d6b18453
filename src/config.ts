/** Configuration from the environment, with the defaults a laptop needs. Documented in the README. */
export interface Config {
  port: number;
  databaseUrl: string;
  /** Redis shared by the instances of a deployment (send rates); null: each instance keeps its own. */
  redisUrl: string | null;
  /** Starts every Redis key of this deployment, so two deployments can share one Redis. */
  redisKeyPrefix: string;
  /** After SIGTERM, how long `serve` may take to finish its work before it exits regardless. */
  shutdownTimeoutSeconds: number;
  /** Minutes of inactivity after which a conversation starts afresh. */
  sessionIdleMinutes: number;
  identificationMaxAttempts: number;
  identificationLockMinutes: number;
  /** Wrong ID / birth date answers across all chats in one minute from which new identifications are refused. */
  identificationGlobalFailuresPerMinute: number;
  /** How long they are refused then. */
  identificationGlobalLockMinutes: number;
  ussdScreenLimit: number;
  /** Whether `serve` loads demo data into an empty database. */
  loadDemoData: boolean;
  defaultLocale: "vi" | "en";
  /** The service's public https address; when set, chat platforms are told to call its webhooks. */
  publicUrl: string | null;
  telegram: ChatChannelConfig & { apiRoot: string };
  zalo: ChatChannelConfig & { apiRoot: string };
  reminders: { daysBefore: number; deliveryTime: string; planCron: string };
  outbox: { quietHours: string; workers: number; leaseSeconds: number; maxAttempts: number; pollMs: number };
  console: ConsoleConfig;
  sms: SmsConfig;
}

/** The SMS channel (src/channels/sms): off unless SMS_PROVIDER names a provider. */
export interface SmsConfig {
  provider: "africastalking" | "esms" | null;
  /** The provider's API root (its public one by default; a fake in tests). */
  apiRoot: string;
  africasTalking: { username: string | null; apiKey: string | null; senderId: string | null };
  esms: { apiKey: string | null; secretKey: string | null; brandname: string | null };
  /** Messages per second the provider allows this account (SMS_RATE_PER_SECOND), per phone, and the shared retry settings. */
  limits: ChatChannelConfig["limits"];
  /** VND per SMS part, for the broadcast preview's estimate. */
  pricePerSegment: number;
  /** Secret path segment of the delivery-report and inbound callbacks (compared in constant time). */
  callbackSecret: string | null;
}

/** The web console at /console. */
export interface ConsoleConfig {
  /** A console session unused this long ends. */
  sessionIdleMinutes: number;
  /** How long an account (or a client address) stays locked after too many failed logins. */
  lockMinutes: number;
  /** Express's `trust proxy` (off when null): set it when a reverse proxy terminates HTTPS. */
  trustProxy: string | null;
}

export interface ChatChannelConfig {
  /** The bot token; the channel is off without it. */
  token: string | null;
  webhookSecret: string | null;
  /** Messages per second overall and per chat, and how often to retry a refused call. */
  limits: { perSecond: number; perChatPerSecond: number; maxRetries: number; backoffMs: number };
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

function timeFromEnv(name: string, fallback: string): string {
  const value = process.env[name] || fallback;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) throw new Error(`${name} must be a time of day as HH:mm (got "${value}")`);
  return value;
}

/** A chat channel's send limits: <PREFIX>_RATE_PER_SECOND, <PREFIX>_RATE_PER_CHAT, and the shared retry settings. */
function sendLimitsFromEnv(prefix: string, perSecond: number): ChatChannelConfig["limits"] {
  return {
    perSecond: intFromEnv(`${prefix}_RATE_PER_SECOND`, perSecond, 1, 1000),
    perChatPerSecond: intFromEnv(`${prefix}_RATE_PER_CHAT`, 1, 1, 100),
    maxRetries: intFromEnv("CHAT_SEND_RETRIES", 5, 0, 20),
    backoffMs: intFromEnv("CHAT_SEND_BACKOFF_MS", 500, 1, 60_000),
  };
}

const SMS_API_ROOTS = { africastalking: "https://api.africastalking.com", esms: "https://rest.esms.vn" } as const;

/** SMS_PROVIDER and the provider's variables; refuses to start with a provider whose keys are missing. */
function smsFromEnv(): SmsConfig {
  const raw = process.env.SMS_PROVIDER || "";
  if (raw !== "" && raw !== "africastalking" && raw !== "esms") throw new Error(`SMS_PROVIDER must be africastalking or esms (got "${raw}")`);
  const provider = raw === "" ? null : raw;
  const env = (name: string) => process.env[name] || null;
  const sms: SmsConfig = {
    provider,
    apiRoot: (process.env.SMS_API_ROOT || (provider ? SMS_API_ROOTS[provider] : "")).replace(/\/+$/, ""),
    africasTalking: { username: env("AT_USERNAME"), apiKey: env("AT_API_KEY"), senderId: env("AT_SENDER_ID") },
    esms: { apiKey: env("ESMS_API_KEY"), secretKey: env("ESMS_SECRET_KEY"), brandname: env("ESMS_BRANDNAME") },
    limits: sendLimitsFromEnv("SMS", 10),
    pricePerSegment: intFromEnv("SMS_PRICE_PER_SEGMENT", 800, 0, 100_000),
    callbackSecret: env("SMS_CALLBACK_SECRET"),
  };
  const missing =
    provider === "africastalking"
      ? (["AT_USERNAME", "AT_API_KEY"] as const).filter((n) => !env(n))
      : provider === "esms"
        ? (["ESMS_API_KEY", "ESMS_SECRET_KEY", "ESMS_BRANDNAME"] as const).filter((n) => !env(n))
        : [];
  if (missing.length) throw new Error(`SMS_PROVIDER=${provider} needs ${missing.join(", ")}`);
  if (provider && sms.callbackSecret !== null && !/^[A-Za-z0-9_-]{16,256}$/.test(sms.callbackSecret)) {
    throw new Error("SMS_CALLBACK_SECRET must be 16 to 256 characters of A-Z a-z 0-9 _ -");
  }
  return sms;
}

export function loadConfig(): Config {
  return {
    port: intFromEnv("PORT", 3000, 0, 65535),
    databaseUrl: process.env.DATABASE_URL ?? "file:./data/ansinh.db",
    redisUrl: process.env.REDIS_URL || null,
    redisKeyPrefix: process.env.REDIS_KEY_PREFIX || "ansinh",
    shutdownTimeoutSeconds: intFromEnv("SHUTDOWN_TIMEOUT_SECONDS", 20, 1, 600),
    sessionIdleMinutes: intFromEnv("SESSION_IDLE_MINUTES", 10, 1, 24 * 60),
    identificationMaxAttempts: intFromEnv("IDENTIFICATION_MAX_ATTEMPTS", 5, 1, 100),
    identificationLockMinutes: intFromEnv("IDENTIFICATION_LOCK_MINUTES", 30, 1, 7 * 24 * 60),
    identificationGlobalFailuresPerMinute: intFromEnv("IDENTIFICATION_GLOBAL_FAILURES_PER_MINUTE", 60, 1, 1_000_000),
    identificationGlobalLockMinutes: intFromEnv("IDENTIFICATION_GLOBAL_LOCK_MINUTES", 15, 1, 24 * 60),
    ussdScreenLimit: intFromEnv("USSD_SCREEN_LIMIT", 160, 60, 182),
    loadDemoData: process.env.DEMO_DATA !== "off",
    defaultLocale: process.env.DEFAULT_LOCALE === "en" ? "en" : "vi",
    reminders: {
      daysBefore: intFromEnv("REMINDER_DAYS_BEFORE", 3, 1, 30),
      deliveryTime: timeFromEnv("REMINDER_TIME", "07:30"),
      planCron: process.env.REMINDER_PLAN_CRON || "*/15 * * * *",
    },
    outbox: {
      quietHours: process.env.QUIET_HOURS || "21:00-07:00",
      workers: intFromEnv("OUTBOX_WORKERS", 2, 1, 32),
      leaseSeconds: intFromEnv("OUTBOX_LEASE_SECONDS", 60, 1, 3600),
      maxAttempts: intFromEnv("OUTBOX_MAX_ATTEMPTS", 8, 1, 100),
      pollMs: intFromEnv("OUTBOX_POLL_MS", 2000, 10, 600_000),
    },
    console: {
      sessionIdleMinutes: intFromEnv("CONSOLE_SESSION_IDLE_MINUTES", 60, 1, 24 * 60),
      lockMinutes: intFromEnv("CONSOLE_LOCK_MINUTES", 15, 1, 24 * 60),
      trustProxy: process.env.CONSOLE_TRUST_PROXY || null,
    },
    publicUrl: process.env.PUBLIC_URL ? process.env.PUBLIC_URL.replace(/\/+$/, "") : null,
    telegram: {
      token: process.env.TELEGRAM_BOT_TOKEN || null,
      apiRoot: process.env.TELEGRAM_API_ROOT || "https://api.telegram.org",
      webhookSecret: process.env.TELEGRAM_WEBHOOK_SECRET || null,
      limits: sendLimitsFromEnv("TELEGRAM", 30),
    },
    zalo: {
      token: process.env.ZALO_BOT_TOKEN || null,
      apiRoot: process.env.ZALO_API_ROOT || "https://bot-api.zaloplatforms.com",
      webhookSecret: process.env.ZALO_WEBHOOK_SECRET || null,
      limits: sendLimitsFromEnv("ZALO", 20),
    },
    sms: smsFromEnv(),
  };
}
