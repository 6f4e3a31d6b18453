import path from "node:path";
import { sqlTimestamp } from "../db/sql/sqlTimestamp.ts";
import { importCommuneList } from "../domain/imports/importCommuneList.ts";
import { importPaymentList } from "../domain/imports/importPaymentList.ts";
import type { Services } from "../services.ts";
import { PROJECT_ROOT } from "../shared/projectPaths.ts";
import { createDemoConsoleAccountsIfNone, type DemoConsoleAccount } from "./demoConsoleAccounts.ts";

const DEMO_DIR = path.join(PROJECT_ROOT, "demo");
const DEMO_LISTS = ["payments-2026-11.csv", "payments-2026-12.csv"];
/** Bắc Sơn has sent its office details; Tràng Định has not, so both answers can be seen. */
const DEMO_COMMUNES = "communes-demo.csv";

/**
 * Loads the clearly labelled demo data (codes DEMO-…, names "(DEMO)") into an empty database,
 * through the same importer real payment lists use, and DEMO console accounts when there are no
 * accounts yet. Returns what was loaded, or null when the database already holds beneficiaries
 * (demo data never mixes with real lists).
 */
export async function loadDemoDataIfEmpty(
  services: Pick<Services, "db" | "secret">,
): Promise<{ beneficiaries: number; payments: number; consoleAccounts: readonly DemoConsoleAccount[] | null } | null> {
  const { query } = services.db;
  const count = async (table: "Beneficiary" | "Payment") => (await query.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
  if ((await count("Beneficiary")) > 0) return null;
  for (const list of DEMO_LISTS) {
    const report = await importPaymentList(services.db, path.join(DEMO_DIR, list), { secret: services.secret });
    if (report.rejected > 0) throw new Error(`demo list ${list} has rejected rows: ${JSON.stringify(report.problems)}`);
  }
  const communes = await importCommuneList(services.db, path.join(DEMO_DIR, DEMO_COMMUNES));
  if (communes.rejected > 0) throw new Error(`demo commune list has rejected rows: ${JSON.stringify(communes.problems)}`);
  // The payment results the provider would report (a later import): November paid, one failed.
  const updatedAt = sqlTimestamp();
  const november = await query.selectFrom("PaymentPeriod").select("id").where("period", "=", "2026-11").executeTakeFirstOrThrow();
  await query
    .updateTable("Payment")
    .set({ status: "paid", paidAt: sqlTimestamp(new Date("2026-11-05T02:30:00Z")), reference: "DEMO-PAID", updatedAt })
    .where("periodId", "=", november.id)
    .execute();
  const failing = await query.selectFrom("Beneficiary").select("id").where("code", "=", "DEMO-0004").executeTakeFirstOrThrow();
  await query
    .updateTable("Payment")
    .set({ status: "failed", paidAt: null, failureReason: "Ví Viettel Money chưa được kích hoạt", updatedAt })
    .where("periodId", "=", november.id)
    .where("beneficiaryId", "=", failing.id)
    .execute();
  const consoleAccounts = await createDemoConsoleAccountsIfNone(services.db.sql);
  return { beneficiaries: await count("Beneficiary"), payments: await count("Payment"), consoleAccounts };
}
