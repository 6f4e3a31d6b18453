import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paymentListCsv } from "../../bench/lib/paymentList.ts";
import { openDatabase } from "../../src/db/database.ts";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";
import { TEST_DIALECT, tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

// `ansinh import payments` of a list of 6,000 people, killed with SIGKILL while it writes. Each
// batch of rows is one transaction, so what landed is whole batches; the same command run again
// completes the list without a duplicate, and a third run changes nothing.
const PEOPLE = 6_000;
let temp: TempDatabase;
let file: string;

beforeAll(async () => {
  temp = await tempDatabase();
  await temp.db.close();
  file = path.join(temp.dir, "payments-2026-12.csv");
  fs.writeFileSync(file, paymentListCsv(PEOPLE, "2026-12"));
});
afterAll(async () => {
  await temp.cleanup();
});

async function counts(): Promise<{ beneficiaries: number; payments: number; distinctCodes: number; distinctPayments: number }> {
  const db = await openDatabase(temp.url);
  try {
    return (await db.sql.get(
      `SELECT (SELECT COUNT(*) FROM Beneficiary) AS beneficiaries, (SELECT COUNT(*) FROM Payment) AS payments,
              (SELECT COUNT(DISTINCT code) FROM Beneficiary) AS distinctCodes,
              (SELECT COUNT(*) FROM (SELECT DISTINCT beneficiaryId, periodId FROM Payment) AS p) AS distinctPayments`,
    ))!;
  } finally {
    await db.close();
  }
}

/** SQLite's own check of the file; on PostgreSQL, the counts below are the check. */
function integrityCheck(): string {
  if (TEST_DIALECT !== "sqlite") return "ok";
  const connection = new Database(temp.url.replace(/^file:/, ""), { readonly: true });
  try {
    return (connection.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check).join("; ");
  } finally {
    connection.close();
  }
}

describe("kill -9 during `ansinh import payments`", () => {
  it("leaves whole batches, and the same import run again completes the list without duplicates", async () => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "bin/ansinh.mjs"), "import", "payments", file], {
      env: { ...process.env, LOG_LEVEL: "error", DATABASE_URL: temp.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<string | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    // Kill it once some rows have landed and before all have (watched from a connection of our own).
    let landed = 0;
    const watcher = await openDatabase(temp.url);
    try {
      const until = Date.now() + 40_000;
      while (Date.now() < until && child.exitCode === null) {
        landed = (await watcher.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM Beneficiary`).catch(() => ({ n: 0 })))!.n;
        if (landed > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    } finally {
      await watcher.close();
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    expect(integrityCheck()).toBe("ok");
    const afterKill = await counts();
    console.log(`import killed with ${afterKill.beneficiaries} of ${PEOPLE} people written`);
    expect(afterKill.beneficiaries).toBeGreaterThan(0);
    expect(afterKill.beneficiaries).toBeLessThan(PEOPLE);
    // Rows land in whole transactions: a person and their payment together, never half a batch.
    expect(afterKill.payments).toBe(afterKill.beneficiaries);
    expect(afterKill.distinctCodes).toBe(afterKill.beneficiaries);

    const again = await runAnsinh(["import", "payments", file], { cwd: temp.dir, env: { DATABASE_URL: temp.url } });
    expect(again.code, again.stderr).toBe(0);
    expect(await counts()).toEqual({ beneficiaries: PEOPLE, payments: PEOPLE, distinctCodes: PEOPLE, distinctPayments: PEOPLE });
    expect(integrityCheck()).toBe("ok");

    const third = await runAnsinh(["import", "payments", file], { cwd: temp.dir, env: { DATABASE_URL: temp.url } });
    expect(third.code, third.stderr).toBe(0);
    expect(await counts()).toEqual({ beneficiaries: PEOPLE, payments: PEOPLE, distinctCodes: PEOPLE, distinctPayments: PEOPLE });
  }, 60_000);
});
