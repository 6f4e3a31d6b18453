import fs from "node:fs";
import path from "node:path";
import { describe } from "vitest";

/**
 * PostgreSQL and Redis are not part of "Node.js is all it needs": tests that need them run where
 * they answer (the project's machines and CI) and are skipped elsewhere. The global setup
 * (tests/testEnvironment.globalSetup.ts) probes both once and tells the test processes here; it
 * also prints one line naming what was skipped, and fails a CI run where either is missing.
 */
export type ExternalService = "postgres" | "redis";

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Set by the global setup: "missing" when the probe found nothing there. */
const availabilityVariable: Record<ExternalService, string> = { postgres: "ANSINH_TEST_POSTGRES", redis: "ANSINH_TEST_REDIS" };
/** Where skipped suites are noted, one file each, for the global setup's summary line. */
export const SKIPPED_SUITES_DIR_VARIABLE = "ANSINH_TEST_SKIPPED_DIR";

export function serviceAvailable(service: ExternalService): boolean {
  return process.env[availabilityVariable[service]] !== "missing";
}

/** `describe`, run only when every service named answers; otherwise skipped and noted for the summary line. */
export function describeNeeding(services: ExternalService[], name: string, body: () => void): void {
  const missing = services.filter((service) => !serviceAvailable(service));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  noteSkipped(missing, name);
  describe.skip(name, body);
}

function noteSkipped(missing: ExternalService[], name: string): void {
  const dir = process.env[SKIPPED_SUITES_DIR_VARIABLE];
  if (!dir) return;
  const file = path.join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ missing, name }));
}
