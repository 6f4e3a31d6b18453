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
  voice: VoiceConfig;
}

/** Phone calls (IVR): Twilio and/or Stringee, each on when its secret is set. */
export interface VoiceConfig {
  /** The province hotline a caller asking for an officer is connected to; null: they leave a voice message. */
  operatorNumber: string | null;
  /** Outbound reminder calls placed per minute at most. */
  callsPerMinute: number;
  /** Recorded prompts: <audioDir>/<lang>/<sentence key>.mp3. */
  audioDir: string;
  /** Twilio's auth token: signs its requests (X-Twilio-Signature); POST /voice/twilio is off without it. */
  twilioAuthToken: string | null;
  /** The secret in Stringee's answer and event URLs; /voice/stringee is off without it. */
  stringeeSecret: string | null;
  /** Outbound reminder calls go through Twilio when its account, token, caller id and PUBLIC_URL are set. */
  twilioAccountSid: string | null;
  twilioApiRoot: string;
  /** Outbound calls go through Stringee (when Twilio's account is not set) with this API key. */
  stringeeKeySid: string | null;
  stringeeKeySecret: string | null;
  stringeeApiRoot: string;
  /** The number outbound calls come from. */
  callerId: string | null;
  /** An unanswered reminder call is tried again this much later (once), then an SMS is queued. */
  retryMinutes: number;
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
    voice: {
      operatorNumber: process.env.VOICE_OPERATOR_NUMBER || null,
      callsPerMinute: intFromEnv("VOICE_CALLS_PER_MINUTE", 10, 1, 10_000),
      audioDir: process.env.VOICE_AUDIO_DIR || "audio",
      twilioAuthToken: process.env.TWILIO_AUTH_TOKEN || null,
      stringeeSecret: process.env.VOICE_STRINGEE_SECRET || null,
      twilioAccountSid: process.env.TWILIO_ACCOUNT_SID || null,
      twilioApiRoot: process.env.TWILIO_API_ROOT || "https://api.twilio.com",
      stringeeKeySid: process.env.STRINGEE_API_KEY_SID || null,
      stringeeKeySecret: process.env.STRINGEE_API_KEY_SECRET || null,
      stringeeApiRoot: process.env.STRINGEE_API_ROOT || "https://api.stringee.com",
      callerId: process.env.VOICE_CALLER_ID || null,
      retryMinutes: intFromEnv("VOICE_RETRY_MINUTES", 30, 1, 24 * 60),
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
  };
}
