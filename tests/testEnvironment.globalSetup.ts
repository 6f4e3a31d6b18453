import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sparticuzChromium from "@sparticuz/chromium";
import { Redis } from "ioredis";
import pg from "pg";
import { POSTGRES_ADMIN_URL, SKIPPED_SUITES_DIR_VARIABLE, TEST_REDIS_URL, type ExternalService } from "./helpers/externalServices.ts";

const PROBE_TIMEOUT_MS = 2_000;

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: PROBE_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const HOW_TO_RUN: Record<ExternalService, string> = {
  postgres: `PostgreSQL at ${POSTGRES_ADMIN_URL} (start it, or set TEST_POSTGRES_URL)`,
  redis: `Redis at ${TEST_REDIS_URL} (start it, or set TEST_REDIS_URL)`,
};

/**
 * Before any test process starts: finds out whether PostgreSQL and Redis answer (tests that need
 * them are skipped where they do not, except in CI and on `npm run test:postgres`, which fail
 * instead), and unpacks the headless Chromium that @sparticuz/chromium carries, once, for the
 * browser tests (CHROMIUM_PATH chooses a system browser instead).
 */
export default async function setup(): Promise<() => void> {
  const [postgres, redis] = await Promise.all([postgresAnswers(), redisAnswers()]);
  const missing = (["postgres", "redis"] as const).filter((_, i) => ![postgres, redis][i]);
  if (missing.length > 0 && (process.env.CI || process.env.TEST_DATABASE === "postgres")) {
    throw new Error(`this run must not skip anything, and these do not answer: ${missing.map((s) => HOW_TO_RUN[s]).join("; ")}`);
  }
  process.env.ANSINH_TEST_POSTGRES = postgres ? "available" : "missing";
  process.env.ANSINH_TEST_REDIS = redis ? "available" : "missing";

  const skippedDir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-skipped-"));
  process.env[SKIPPED_SUITES_DIR_VARIABLE] = skippedDir;

  // Unpacked here, in one process, rather than by several browser test files at once.
  process.env.CHROMIUM_PATH ||= await sparticuzChromium.executablePath();

  return () => {
    const skipped = fs.readdirSync(skippedDir).map((file) => JSON.parse(fs.readFileSync(path.join(skippedDir, file), "utf8")) as { missing: ExternalService[]; name: string });
    fs.rmSync(skippedDir, { recursive: true, force: true });
    if (skipped.length === 0) return;
    const services = [...new Set(skipped.flatMap((s) => s.missing))];
    console.log(
      `\nSkipped ${skipped.length} test suites that need ${services.map((s) => HOW_TO_RUN[s]).join(" and ")}: ${skipped.map((s) => `"${s.name}"`).join(", ")}. Everything else ran.\n`,
    );
  };
}
