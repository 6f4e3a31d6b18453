import { loggingFrom, type LoggingConfig } from "./config/loggingConfig.ts";
import { ConfigError, readSettings, type Env } from "./config/readSettings.ts";
import type { Settings } from "./config/variables.ts";

export { ConfigError } from "./config/readSettings.ts";

/** Configuration from the environment, with the defaults a laptop needs. Documented in the README. */
export interface Config {
  port: number;
  databaseUrl: string;
  /** How long a write waits for a lock another writer holds before it fails as DatabaseUnavailable ("locked"). */
  databaseBusyTimeoutMs: number;
  /** PostgreSQL connections per instance. */
  databasePoolSize: number;
  /** ANSINH_SECRET; null: the key file beside the SQLite database (src/shared/secrets.ts). */
  secret: string | null;
  /** Redis shared by the instances of a deployment (send rates); null: each instance keeps its own. */
  redisUrl: string | null;
  /** Starts every Redis key of this deployment, so two deployments can share one Redis. */
  redisKeyPrefix: string;
  /** After SIGTERM, how long `serve` may take to finish its work before it exits regardless. */
  shutdownTimeoutSeconds: number;
  /** Minutes of inactivity after which a conversation starts afresh. */
  sessionIdleMinutes: number;
  /** Transcripts, inbound logs and delivered messages older than this are removed by the daily retention job (Law 91/2025/QH15). */
  retentionDays: number;
  /** Days off besides the law's public holidays (PUBLIC_HOLIDAYS), and weekend days made working days (EXTRA_WORKING_DAYS): yyyy-mm-dd, for deadlines in working days. */
  calendar: { daysOff: string[]; workingDays: string[] };
  /** Who runs a command (the shell's USER): named in the audit rows of privacy exports and erasures. */
  cliUser: string | null;
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
  logging: LoggingConfig;
  sms: SmsConfig;
  voice: VoiceConfig;
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
interface ConsoleConfig {
  /** A console session unused this long ends. */
  sessionIdleMinutes: number;
  /** How long an account (or a client address) stays locked after too many failed logins. */
  lockMinutes: number;
  /** Express's `trust proxy` (off when null): set it when a reverse proxy terminates HTTPS. */
  trustProxy: string | null;
}

interface ChatChannelConfig {
  /** The bot token; the channel is off without it. */
  token: string | null;
  webhookSecret: string | null;
  /** Messages per second overall and per chat, and how often to retry a refused call. */
  limits: { perSecond: number; perChatPerSecond: number; maxRetries: number; backoffMs: number };
}

/** A chat channel's send limits: <PREFIX>_RATE_PER_SECOND, <PREFIX>_RATE_PER_CHAT, and the shared retry settings. */
function sendLimits(s: Settings, perSecond: number, perChatPerSecond: number): ChatChannelConfig["limits"] {
  return { perSecond, perChatPerSecond, maxRetries: s.CHAT_SEND_RETRIES, backoffMs: s.CHAT_SEND_BACKOFF_MS };
}

const SMS_API_ROOTS = { africastalking: "https://api.africastalking.com", esms: "https://rest.esms.vn" } as const;

/** The SMS channel's settings; a provider whose keys are missing is a configuration error like any bad value. */
function smsFrom(s: Settings): SmsConfig {
  const provider = s.SMS_PROVIDER;
  const missing =
    provider === "africastalking"
      ? (["AT_USERNAME", "AT_API_KEY"] as const).filter((name) => !s[name])
      : provider === "esms"
        ? (["ESMS_API_KEY", "ESMS_SECRET_KEY", "ESMS_BRANDNAME"] as const).filter((name) => !s[name])
        : [];
  if (missing.length) throw new ConfigError(missing.map((name) => `${name} must be set when SMS_PROVIDER is ${provider}`));
  return {
    provider,
    apiRoot: s.SMS_API_ROOT ?? (provider ? SMS_API_ROOTS[provider] : ""),
    africasTalking: { username: s.AT_USERNAME, apiKey: s.AT_API_KEY, senderId: s.AT_SENDER_ID },
    esms: { apiKey: s.ESMS_API_KEY, secretKey: s.ESMS_SECRET_KEY, brandname: s.ESMS_BRANDNAME },
    limits: { perSecond: s.SMS_RATE_PER_SECOND, perChatPerSecond: 1, maxRetries: s.CHAT_SEND_RETRIES, backoffMs: s.CHAT_SEND_BACKOFF_MS },
    pricePerSegment: s.SMS_PRICE_PER_SEGMENT,
    callbackSecret: s.SMS_CALLBACK_SECRET,
  };
}

/**
 * The configuration from the environment (src/config/variables.ts lists every variable). A bad
 * value throws a ConfigError naming every bad variable at once, so the service does not start.
 */
export function loadConfig(env: Env = process.env): Config {
  const s = readSettings(env);
  return {
    port: s.PORT,
    databaseUrl: s.DATABASE_URL,
    databaseBusyTimeoutMs: s.DATABASE_BUSY_TIMEOUT_MS,
    databasePoolSize: s.DATABASE_POOL_SIZE,
    secret: s.ANSINH_SECRET,
    redisUrl: s.REDIS_URL,
    redisKeyPrefix: s.REDIS_KEY_PREFIX,
    shutdownTimeoutSeconds: s.SHUTDOWN_TIMEOUT_SECONDS,
    sessionIdleMinutes: s.SESSION_IDLE_MINUTES,
    retentionDays: s.RETENTION_DAYS,
    calendar: { daysOff: s.PUBLIC_HOLIDAYS, workingDays: s.EXTRA_WORKING_DAYS },
    cliUser: s.USER,
    identificationMaxAttempts: s.IDENTIFICATION_MAX_ATTEMPTS,
    identificationLockMinutes: s.IDENTIFICATION_LOCK_MINUTES,
    identificationGlobalFailuresPerMinute: s.IDENTIFICATION_GLOBAL_FAILURES_PER_MINUTE,
    identificationGlobalLockMinutes: s.IDENTIFICATION_GLOBAL_LOCK_MINUTES,
    ussdScreenLimit: s.USSD_SCREEN_LIMIT,
    loadDemoData: s.DEMO_DATA === "on",
    defaultLocale: s.DEFAULT_LOCALE,
    reminders: { daysBefore: s.REMINDER_DAYS_BEFORE, deliveryTime: s.REMINDER_TIME, planCron: s.REMINDER_PLAN_CRON },
    outbox: {
      quietHours: s.QUIET_HOURS,
      workers: s.OUTBOX_WORKERS,
      leaseSeconds: s.OUTBOX_LEASE_SECONDS,
      maxAttempts: s.OUTBOX_MAX_ATTEMPTS,
      pollMs: s.OUTBOX_POLL_MS,
    },
    console: { sessionIdleMinutes: s.CONSOLE_SESSION_IDLE_MINUTES, lockMinutes: s.CONSOLE_LOCK_MINUTES, trustProxy: s.CONSOLE_TRUST_PROXY },
    publicUrl: s.PUBLIC_URL,
    voice: {
      operatorNumber: s.VOICE_OPERATOR_NUMBER,
      callsPerMinute: s.VOICE_CALLS_PER_MINUTE,
      audioDir: s.VOICE_AUDIO_DIR,
      twilioAuthToken: s.TWILIO_AUTH_TOKEN,
      stringeeSecret: s.VOICE_STRINGEE_SECRET,
      twilioAccountSid: s.TWILIO_ACCOUNT_SID,
      twilioApiRoot: s.TWILIO_API_ROOT,
      stringeeKeySid: s.STRINGEE_API_KEY_SID,
      stringeeKeySecret: s.STRINGEE_API_KEY_SECRET,
      stringeeApiRoot: s.STRINGEE_API_ROOT,
      callerId: s.VOICE_CALLER_ID,
      retryMinutes: s.VOICE_RETRY_MINUTES,
    },
    telegram: {
      token: s.TELEGRAM_BOT_TOKEN,
      apiRoot: s.TELEGRAM_API_ROOT,
      webhookSecret: s.TELEGRAM_WEBHOOK_SECRET,
      limits: sendLimits(s, s.TELEGRAM_RATE_PER_SECOND, s.TELEGRAM_RATE_PER_CHAT),
    },
    zalo: {
      token: s.ZALO_BOT_TOKEN,
      apiRoot: s.ZALO_API_ROOT,
      webhookSecret: s.ZALO_WEBHOOK_SECRET,
      limits: sendLimits(s, s.ZALO_RATE_PER_SECOND, s.ZALO_RATE_PER_CHAT),
    },
    logging: loggingFrom(s),
    sms: smsFrom(s),
  };
}
