import { cronExpression, databaseUrl, dayList, httpUrl, oneOf, redisUrl, smsCallbackSecret, text, timeOfDay, timeSpan, wholeNumber, type ValueKind } from "./valueKinds.ts";

/** Where the README shows a variable: the Configuration table, or the table of a channel's section. */
export type Section = "service" | "telegram" | "zalo" | "chat" | "sms" | "voice";

export interface Variable<T = unknown, D extends T | null = T | null> extends ValueKind<T> {
  /** The value when the variable is unset or empty; null: none. */
  default: D;
  /** The README's Default column where the value alone would not say it. */
  shownDefault?: string;
  /** The README's Meaning column. */
  meaning: string;
  sections: readonly Section[];
  /** A token, the secret, or a URL that may hold a password: its value is never shown, also not in an error. */
  secret?: boolean;
}

/** A variable with a default has a value; one without may be null. */
function variable<T>(v: Variable<T, NoInfer<T>>): Variable<T, T>;
function variable<T>(v: Variable<T, null>): Variable<T, null>;
function variable<T>(v: Variable<T>): Variable<T> {
  return v;
}

const LOG_LEVELS = oneOf("debug", "info", "warn", "error");
const SERVICE = ["service"] as const;

/**
 * Every environment variable the service and the commands read, in the README's order. The only
 * place they are read (src/config/readSettings.ts); the README's tables are generated from this one
 * (`npm run docs:config`), and a test fails when they differ.
 */
export const VARIABLES = {
  PORT: variable({ ...wholeNumber(0, 65535), default: 3000, sections: SERVICE, meaning: "HTTP port" }),
  DATABASE_URL: variable({
    ...databaseUrl,
    default: "file:./data/ansinh.db",
    secret: true,
    sections: SERVICE,
    meaning:
      "SQLite file (created, and migrated, on first use), or `postgresql://user:password@host:5432/db` for several instances (migrated on first use; needs `ANSINH_SECRET`): see [Deployment](#deployment)",
  }),
  DATABASE_POOL_SIZE: variable({ ...wholeNumber(1, 500), default: 10, sections: SERVICE, meaning: "PostgreSQL connections per instance" }),
  REDIS_URL: variable({
    ...redisUrl,
    default: null,
    secret: true,
    sections: SERVICE,
    meaning: "e.g. `redis://10.0.0.5:6379`: the instances of a deployment share their send rates there, and `/readyz` checks it",
  }),
  REDIS_KEY_PREFIX: variable({ ...text, default: "ansinh", sections: SERVICE, meaning: "starts every Redis key, so two deployments can share one Redis" }),
  // better-sqlite3 waits synchronously: on SQLite the whole process waits that long.
  DATABASE_BUSY_TIMEOUT_MS: variable({
    ...wholeNumber(1, 600_000),
    default: 10_000,
    sections: SERVICE,
    meaning:
      "how long a write waits for a lock another writer holds (SQLite's busy timeout, PostgreSQL's `lock_timeout`); past it, or when the disk is full or the database server is gone, the request is answered 503 (USSD with an `END` screen, webhooks so the platform sends again, the console with its error page), its transaction rolled back, and one warning is logged with the reason (`database unavailable`)",
  }),
  SHUTDOWN_TIMEOUT_SECONDS: variable({
    ...wholeNumber(1, 600),
    default: 20,
    sections: SERVICE,
    meaning: "after SIGTERM, how long `serve` may take to finish its work before it exits anyway (status 1)",
  }),
  ANSINH_SECRET: variable({
    ...text,
    default: null,
    shownDefault: "a key generated into `data/secret.key` beside the database",
    secret: true,
    sections: SERVICE,
    meaning:
      "keys the citizen-ID hash and seals account numbers. **Back it up**: with another secret, stored ID hashes no longer match and sealed accounts cannot be opened.",
  }),
  SESSION_IDLE_MINUTES: variable({
    ...wholeNumber(1, 24 * 60),
    default: 10,
    sections: SERVICE,
    meaning: 'a conversation idle this long starts afresh (a dropped USSD dial within it is offered "continue")',
  }),
  RETENTION_DAYS: variable({
    ...wholeNumber(1, 36_500),
    default: 365,
    sections: SERVICE,
    meaning: "conversation transcripts, inbound logs and delivered messages older than this are deleted or stripped of their text by a daily job (02:30), counts kept; payment records stay (a legal duty): see [Personal data](#personal-data)",
  }),
  PUBLIC_HOLIDAYS: variable({
    ...dayList,
    default: [],
    shownDefault: "none",
    sections: SERVICE,
    meaning:
      "days off besides the public holidays the law fixes (which AnSinh knows: New Year, Tết, Hùng Kings, 30/4, 1/5, 2/9), such as the Tết days, the day next to National Day and the days in lieu the government announces each year, e.g. `2027-02-05,2027-02-08`: personal-data requests' deadlines in working days skip them (see [Personal data](#personal-data))",
  }),
  EXTRA_WORKING_DAYS: variable({
    ...dayList,
    default: [],
    shownDefault: "none",
    sections: SERVICE,
    meaning: "Saturdays or Sundays the government makes working days (worked to make up for a bridge day off), e.g. `2027-02-20`: deadlines count them",
  }),
  USER: variable({
    ...text,
    default: null,
    shownDefault: "set by the shell",
    sections: SERVICE,
    meaning: "the login name of whoever runs `npx ansinh privacy export` or `erase`: the audit row names them (`cli:USER`), as the law asks who accessed or erased personal data",
  }),
  IDENTIFICATION_MAX_ATTEMPTS: variable({ ...wholeNumber(1, 100), default: 5, sections: SERVICE, meaning: "wrong citizen ID / date of birth tries before identification locks" }),
  IDENTIFICATION_LOCK_MINUTES: variable({ ...wholeNumber(1, 7 * 24 * 60), default: 30, sections: SERVICE, meaning: "how long it stays locked" }),
  IDENTIFICATION_GLOBAL_FAILURES_PER_MINUTE: variable({
    ...wholeNumber(1, 1_000_000),
    default: 60,
    sections: SERVICE,
    meaning:
      'wrong citizen ID / date of birth answers across **all** chats within a minute from which identification by citizen ID is paused for every chat not yet identified (many chats guessing at once, each under its own limit); operators get a "security" escalation, once per pause',
  }),
  IDENTIFICATION_GLOBAL_LOCK_MINUTES: variable({
    ...wholeNumber(1, 24 * 60),
    default: 15,
    sections: SERVICE,
    meaning: "how long it stays paused (people already identified, or by their phone, are not affected)",
  }),
  USSD_SCREEN_LIMIT: variable({ ...wholeNumber(60, 182), default: 160, sections: SERVICE, meaning: "characters per USSD screen (60 to 182); longer content is paged" }),
  DEFAULT_LOCALE: variable({ ...oneOf("vi", "en"), default: "vi", sections: SERVICE, meaning: "language of a new conversation (`vi` or `en`)" }),
  DEMO_DATA: variable({ ...oneOf("on", "off"), default: "on", shownDefault: "on", sections: SERVICE, meaning: "`off`: never load demo data" }),
  REMINDER_DAYS_BEFORE: variable({ ...wholeNumber(1, 30), default: 3, sections: SERVICE, meaning: "days before the pay date of the first reminder" }),
  REMINDER_TIME: variable({ ...timeOfDay, default: "07:30", sections: SERVICE, meaning: "local time both reminders are due" }),
  REMINDER_PLAN_CRON: variable({ ...cronExpression, default: "*/15 * * * *", sections: SERVICE, meaning: "when the service plans reminders (Asia/Ho_Chi_Minh)" }),
  QUIET_HOURS: variable({
    ...timeSpan,
    default: "21:00-07:00",
    sections: SERVICE,
    meaning: "no reminder, result or notice is sent then (an operator's reply to a person still goes); `00:00-00:00`: never quiet",
  }),
  OUTBOX_WORKERS: variable({ ...wholeNumber(1, 32), default: 2, sections: SERVICE, meaning: "sending loops; each holds at most one message in the crash window" }),
  OUTBOX_LEASE_SECONDS: variable({ ...wholeNumber(1, 3600), default: 60, sections: SERVICE, meaning: "a claim older than this is taken to be abandoned by a dead sender" }),
  OUTBOX_POLL_MS: variable({ ...wholeNumber(10, 600_000), default: 2000, sections: SERVICE, meaning: "how often the service looks for messages that have become due" }),
  OUTBOX_MAX_ATTEMPTS: variable({ ...wholeNumber(1, 100), default: 8, sections: SERVICE, meaning: "failed sends before a message is given up (and reported)" }),
  CONSOLE_SESSION_IDLE_MINUTES: variable({
    ...wholeNumber(1, 24 * 60),
    default: 60,
    sections: SERVICE,
    meaning: "a console session unused this long ends (and none lasts over 12 hours)",
  }),
  CONSOLE_LOCK_MINUTES: variable({
    ...wholeNumber(1, 24 * 60),
    default: 15,
    sections: SERVICE,
    meaning: "how long an account stays locked after 5 failed logins (and an address after 20)",
  }),
  CONSOLE_TRUST_PROXY: variable({
    ...text,
    default: null,
    shownDefault: "off",
    sections: SERVICE,
    meaning:
      "set when a reverse proxy terminates HTTPS in front of the service (`loopback`, `1`, an address or `true`: Express's `trust proxy`), so the console's cookie is marked Secure, its forms are not refused as cross-site, and failed logins are counted per real client address",
  }),
  LOG_LEVEL: variable({
    ...LOG_LEVELS,
    default: null,
    shownDefault: "`info` (`warn` when `NODE_ENV` is `test`)",
    sections: SERVICE,
    meaning: "`debug`, `info`, `warn`, `error` (logs are JSON lines on stdout/stderr)",
  }),
  LOG_FILE: variable({
    ...text,
    default: null,
    sections: SERVICE,
    meaning:
      "also append every log line (from `LOG_FILE_LEVEL` up) to this file; processes the service starts inherit it. The test run uses it to check that its logs hold no ID, account or phone number",
  }),
  LOG_FILE_LEVEL: variable({ ...LOG_LEVELS, default: null, shownDefault: "`LOG_LEVEL`", sections: SERVICE, meaning: "the lowest level written to `LOG_FILE`" }),
  NODE_ENV: variable({ ...text, default: null, sections: SERVICE, meaning: "`test` (set by the test run): logs only warnings and errors unless `LOG_LEVEL` says otherwise" }),

  PUBLIC_URL: variable({
    ...httpUrl,
    default: null,
    sections: ["telegram", "zalo"],
    meaning:
      "the service's public https address. When set, the service registers `PUBLIC_URL/webhooks/telegram` with Telegram and `PUBLIC_URL/webhooks/zalo` with Zalo at start (webhook mode); unset, it long-polls them",
  }),
  TELEGRAM_BOT_TOKEN: variable({ ...text, default: null, secret: true, sections: ["telegram"], meaning: "the token; without it the Telegram channel is off" }),
  TELEGRAM_API_ROOT: variable({ ...httpUrl, default: "https://api.telegram.org", sections: ["telegram"], meaning: "set it for a self-hosted Bot API server" }),
  TELEGRAM_WEBHOOK_SECRET: variable({
    ...text,
    default: null,
    secret: true,
    sections: ["telegram"],
    meaning:
      "required with `PUBLIC_URL` (the service refuses to start without it); 1–256 characters of `A-Z a-z 0-9 _ -`, e.g. `openssl rand -hex 32`. Telegram sends it back in `X-Telegram-Bot-Api-Secret-Token`; a request without it gets 401.",
  }),
  TELEGRAM_RATE_PER_SECOND: variable({ ...wholeNumber(1, 1000), default: 30, sections: ["telegram"], meaning: "messages per second to Telegram, all chats together" }),
  TELEGRAM_RATE_PER_CHAT: variable({ ...wholeNumber(1, 100), default: 1, sections: ["telegram"], meaning: "messages per second to one chat" }),
  ZALO_BOT_TOKEN: variable({ ...text, default: null, secret: true, sections: ["zalo"], meaning: "the token; the Zalo channel is off without it" }),
  ZALO_API_ROOT: variable({ ...httpUrl, default: "https://bot-api.zaloplatforms.com", sections: ["zalo"], meaning: "change it only for a test server" }),
  ZALO_WEBHOOK_SECRET: variable({
    ...text,
    default: null,
    secret: true,
    sections: ["zalo"],
    meaning: "required with `PUBLIC_URL`, 8 to 256 characters, checked in constant time on every webhook call (`X-Bot-Api-Secret-Token`)",
  }),
  ZALO_RATE_PER_SECOND: variable({ ...wholeNumber(1, 1000), default: 20, sections: ["zalo"], meaning: "messages per second to Zalo, all chats together" }),
  ZALO_RATE_PER_CHAT: variable({ ...wholeNumber(1, 100), default: 1, sections: ["zalo"], meaning: "messages per second to one chat" }),
  CHAT_SEND_RETRIES: variable({ ...wholeNumber(0, 20), default: 5, sections: ["chat", "sms"], meaning: "how many times a call is tried again after a 429, a 5xx or a network failure" }),
  CHAT_SEND_BACKOFF_MS: variable({ ...wholeNumber(1, 60_000), default: 500, sections: ["chat", "sms"], meaning: "the first wait after a 5xx or a network failure, doubled each time (after a 429: `retry_after`)" }),

  SMS_PROVIDER: variable({ ...oneOf("africastalking", "esms"), default: null, shownDefault: "off", sections: ["sms"], meaning: "`africastalking` or `esms`; unset, the SMS channel is off" }),
  SMS_API_ROOT: variable({
    ...httpUrl,
    default: null,
    shownDefault: "the provider's public root",
    sections: ["sms"],
    meaning: "`https://api.africastalking.com` or `https://rest.esms.vn` unless set (a test's fake provider)",
  }),
  AT_USERNAME: variable({ ...text, default: null, sections: ["sms"], meaning: "Africa's Talking: the application's username (required with `SMS_PROVIDER=africastalking`)" }),
  AT_API_KEY: variable({ ...text, default: null, secret: true, sections: ["sms"], meaning: "Africa's Talking: the API key (required with `SMS_PROVIDER=africastalking`)" }),
  AT_SENDER_ID: variable({ ...text, default: null, sections: ["sms"], meaning: "Africa's Talking: the sender id or short code messages come from (optional)" }),
  ESMS_API_KEY: variable({ ...text, default: null, secret: true, sections: ["sms"], meaning: "eSMS: the API key (required with `SMS_PROVIDER=esms`)" }),
  ESMS_SECRET_KEY: variable({ ...text, default: null, secret: true, sections: ["sms"], meaning: "eSMS: the secret key (required with `SMS_PROVIDER=esms`)" }),
  ESMS_BRANDNAME: variable({ ...text, default: null, sections: ["sms"], meaning: "eSMS: the registered brandname (required with `SMS_PROVIDER=esms`)" }),
  SMS_RATE_PER_SECOND: variable({ ...wholeNumber(1, 1000), default: 10, sections: ["sms"], meaning: "messages per second to the provider (its limit for the account)" }),
  SMS_PRICE_PER_SEGMENT: variable({ ...wholeNumber(0, 100_000), default: 800, sections: ["sms"], meaning: "VND per SMS part: the broadcast preview's cost estimate" }),
  SMS_CALLBACK_SECRET: variable({
    ...smsCallbackSecret,
    default: null,
    secret: true,
    sections: ["sms"],
    meaning:
      "16 to 256 characters of `A-Z a-z 0-9 _ -`: the last path segment of the inbound and delivery-report URLs given to the provider (a request without it gets 403); set it in production",
  }),

  VOICE_OPERATOR_NUMBER: variable({ ...text, default: null, sections: ["voice"], meaning: "the province hotline a caller asking for an officer is connected to; unset, they leave a voice message on an escalation" }),
  VOICE_CALLS_PER_MINUTE: variable({ ...wholeNumber(1, 10_000), default: 10, sections: ["voice"], meaning: "outbound reminder calls placed per minute at most" }),
  VOICE_AUDIO_DIR: variable({ ...text, default: "audio", sections: ["voice"], meaning: "recorded prompts: `<dir>/<lang>/<sentence key>.mp3` is played instead of speech" }),
  TWILIO_AUTH_TOKEN: variable({ ...text, default: null, secret: true, sections: ["voice"], meaning: "Twilio's auth token: checks `X-Twilio-Signature`; `POST /voice/twilio` is off without it" }),
  VOICE_STRINGEE_SECRET: variable({ ...text, default: null, secret: true, sections: ["voice"], meaning: "the secret in Stringee's answer and event URLs; `/voice/stringee` is off without it" }),
  TWILIO_ACCOUNT_SID: variable({ ...text, default: null, sections: ["voice"], meaning: "reminder calls go through Twilio when it, the token, `VOICE_CALLER_ID` and `PUBLIC_URL` are set" }),
  TWILIO_API_ROOT: variable({ ...httpUrl, default: "https://api.twilio.com", sections: ["voice"], meaning: "change it only for a test server" }),
  STRINGEE_API_KEY_SID: variable({ ...text, default: null, sections: ["voice"], meaning: "reminder calls go through Stringee (when Twilio's account is not set) with this API key" }),
  STRINGEE_API_KEY_SECRET: variable({ ...text, default: null, secret: true, sections: ["voice"], meaning: "the API key's secret" }),
  STRINGEE_API_ROOT: variable({ ...httpUrl, default: "https://api.stringee.com", sections: ["voice"], meaning: "change it only for a test server" }),
  VOICE_CALLER_ID: variable({ ...text, default: null, sections: ["voice"], meaning: "the number reminder calls come from" }),
  VOICE_RETRY_MINUTES: variable({ ...wholeNumber(1, 24 * 60), default: 30, sections: ["voice"], meaning: "an unanswered reminder call is tried again this much later (once), then an SMS is sent where SMS is configured" }),
};

export type VariableName = keyof typeof VARIABLES;

/** The value of each variable, as its schema gives it; null where it is unset and has no default. */
export type Settings = { [N in VariableName]: (typeof VARIABLES)[N] extends Variable<infer T, infer D> ? T | D : never };
