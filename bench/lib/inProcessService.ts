import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServices, type Services } from "../../src/services.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { describeMachine } from "./machine.ts";
import { loadBenchBeneficiaries } from "./paymentList.ts";

/** Prints what every bench prints first: the machine, the exact command, the date and the load. */
export function printRunHeader(script: string, args: string[]): void {
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: npx tsx ${script} ${args.join(" ")}`.trim());
  console.log(`date: ${new Date().toISOString()}, load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

/**
 * The service's own objects (createServices) on a fresh temporary database of `callers`
 * synthetic beneficiaries (bench/lib/paymentList.ts), for benches that drive hops in-process.
 */
export async function inProcessService(callers: number): Promise<{ services: Services; cleanup(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-bench-"));
  process.env.ANSINH_SECRET = `bench-${randomBytes(8).toString("hex")}`;
  process.env.LOG_LEVEL ??= "warn";
  const databaseUrl = `file:${path.join(dir, "ansinh.db")}`;
  await loadBenchBeneficiaries(databaseUrl, dir, callers, loadSecret(dir));
  return { services: await createServices({ config: { databaseUrl } }), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
