import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/database.ts";
import { log } from "../../src/shared/log.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";

/** The message loadConfig throws for `env`, or "" when it accepts it. */
function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
    return "";
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe("loadConfig", () => {
  it("gives the defaults a laptop needs when nothing is set, and treats an empty variable as unset", () => {
    for (const env of [{}, { PORT: "", DEFAULT_LOCALE: "", DATABASE_URL: "", QUIET_HOURS: "", ANSINH_SECRET: "" }]) {
      const config = loadConfig(env);
      expect(config).toMatchObject({
        port: 3000,
        databaseUrl: "file:./data/ansinh.db",
        databaseBusyTimeoutMs: 10_000,
        databasePoolSize: 10,
        secret: null,
        defaultLocale: "vi",
        loadDemoData: true,
        publicUrl: null,
        reminders: { daysBefore: 3, deliveryTime: "07:30", planCron: "*/15 * * * *" },
        outbox: { quietHours: "21:00-07:00", workers: 2 },
        telegram: { token: null, apiRoot: "https://api.telegram.org", limits: { perSecond: 30, perChatPerSecond: 1, maxRetries: 5, backoffMs: 500 } },
        zalo: { limits: { perSecond: 20 } },
        logging: { level: "info", file: null, fileLevel: "info" },
      });
    }
  });

  it("takes good values", () => {
    const config = loadConfig({
      DEFAULT_LOCALE: "en",
      DEMO_DATA: "off",
      DATABASE_URL: "postgresql://ansinh@db:5432/ansinh",
      DATABASE_BUSY_TIMEOUT_MS: "150",
      QUIET_HOURS: "00:00-00:00",
      REMINDER_PLAN_CRON: "0 6 * * 1-5",
      PUBLIC_URL: "https://bot.example.vn//",
      ZALO_RATE_PER_SECOND: "1000",
      CHAT_SEND_RETRIES: "0",
      NODE_ENV: "test",
      LOG_FILE: "/tmp/run.log",
      LOG_FILE_LEVEL: "debug",
    });
    expect(config).toMatchObject({
      defaultLocale: "en",
      loadDemoData: false,
      databaseUrl: "postgresql://ansinh@db:5432/ansinh",
      databaseBusyTimeoutMs: 150,
      outbox: { quietHours: "00:00-00:00" },
      reminders: { planCron: "0 6 * * 1-5" },
      publicUrl: "https://bot.example.vn",
      zalo: { limits: { perSecond: 1000, maxRetries: 0 } },
      logging: { level: "warn", file: "/tmp/run.log", fileLevel: "debug" },
    });
  });

  it.each([
    [{ DEFAULT_LOCALE: "fr" }, 'DEFAULT_LOCALE must be one of vi, en (got "fr")'],
    [{ DATABASE_BUSY_TIMEOUT_MS: "abc" }, 'DATABASE_BUSY_TIMEOUT_MS must be a whole number from 1 to 600000 (got "abc")'],
    [{ QUIET_HOURS: "bad" }, 'QUIET_HOURS must be a span of local time as HH:mm-HH:mm, e.g. 21:00-07:00 (got "bad")'],
    [{ QUIET_HOURS: "21:00-25:00" }, 'QUIET_HOURS must be a span of local time as HH:mm-HH:mm, e.g. 21:00-07:00 (got "21:00-25:00")'],
    [{ USSD_SCREEN_LIMIT: "10" }, 'USSD_SCREEN_LIMIT must be a whole number from 60 to 182 (got "10")'],
    [{ REMINDER_PLAN_CRON: "every hour" }, "REMINDER_PLAN_CRON must be a cron expression"],
    [{ DEMO_DATA: "no" }, 'DEMO_DATA must be one of on, off (got "no")'],
    [{ LOG_LEVEL: "verbose" }, 'LOG_LEVEL must be one of debug, info, warn, error (got "verbose")'],
    [{ PUBLIC_URL: "bot.example.vn" }, 'PUBLIC_URL must be an http(s) URL (got "bot.example.vn")'],
    [{ PORT: "1e3" }, 'PORT must be a whole number from 0 to 65535 (got "1e3")'],
  ])("stops on %o, naming the variable, the value and what is expected", (env, message) => {
    expect(problem(env)).toContain(message);
  });

  it("reports every bad value at once, one line each", () => {
    const message = problem({ DEFAULT_LOCALE: "fr", DATABASE_BUSY_TIMEOUT_MS: "abc", QUIET_HOURS: "bad", USSD_SCREEN_LIMIT: "10", PORT: "3001" });
    expect(message.split("\n")).toEqual([
      "4 environment variables have bad values:",
      '  DATABASE_BUSY_TIMEOUT_MS must be a whole number from 1 to 600000 (got "abc")',
      '  USSD_SCREEN_LIMIT must be a whole number from 60 to 182 (got "10")',
      '  DEFAULT_LOCALE must be one of vi, en (got "fr")',
      '  QUIET_HOURS must be a span of local time as HH:mm-HH:mm, e.g. 21:00-07:00 (got "bad")',
    ]);
  });

  it("never shows the value of a secret, also not of a bad one", () => {
    const message = problem({ DATABASE_URL: "mysql://ansinh:hunter2@db/ansinh", REDIS_URL: "http://:hunter3@cache" });
    expect(message).toContain("DATABASE_URL must be a file: URL (SQLite) or a postgresql:// URL (the value is not shown: it may hold a secret)");
    expect(message).toContain("REDIS_URL must be a redis:// or rediss:// URL (the value is not shown");
    expect(message).not.toMatch(/hunter/);
  });
});

describe("the modules that read one variable themselves", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-config-"));
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("open the database with DATABASE_BUSY_TIMEOUT_MS, and refuse a bad one rather than fall back", async () => {
    vi.stubEnv("DATABASE_BUSY_TIMEOUT_MS", "150");
    const db = await openDatabase(`file:${path.join(dir, "a.db")}`);
    expect(db.sqlite!.pragma("busy_timeout", { simple: true })).toBe(150);
    await db.close();
    vi.stubEnv("DATABASE_BUSY_TIMEOUT_MS", "abc");
    await expect(openDatabase(`file:${path.join(dir, "b.db")}`)).rejects.toThrow('DATABASE_BUSY_TIMEOUT_MS must be a whole number from 1 to 600000 (got "abc")');
  });

  it("log on with a bad LOG_LEVEL (start-up reports it; a log line never throws)", () => {
    vi.stubEnv("LOG_LEVEL", "verbose");
    const written = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(() => log.warn("a warning")).not.toThrow();
      expect(written).toHaveBeenCalledWith(expect.stringContaining('"msg":"a warning"'));
    } finally {
      written.mockRestore();
    }
  });
});

describe("ansinh with bad variables", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-config-cli-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("does not start: exit 1, every bad variable named, nothing opened", async () => {
    const result = await runAnsinh(["serve", "--port", "0"], {
      cwd: dir,
      env: { DATABASE_URL: `file:${path.join(dir, "never.db")}`, DEFAULT_LOCALE: "fr", USSD_SCREEN_LIMIT: "10", TELEGRAM_BOT_TOKEN: "" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("ansinh: 2 environment variables have bad values:");
    expect(result.stderr).toContain('USSD_SCREEN_LIMIT must be a whole number from 60 to 182 (got "10")');
    expect(result.stderr).toContain('DEFAULT_LOCALE must be one of vi, en (got "fr")');
    expect(fs.existsSync(path.join(dir, "never.db"))).toBe(false);
  });
});
