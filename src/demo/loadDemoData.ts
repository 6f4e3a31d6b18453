import path from "node:path";
import { importCommuneList } from "../domain/imports/importCommuneList.ts";
import { importPaymentList } from "../domain/imports/importPaymentList.ts";
import type { Services } from "../services.ts";
import { PROJECT_ROOT } from "../shared/projectPaths.ts";
import { createDemoConsoleAccountsIfNone, type DemoConsoleAccount } from "./demoConsoleAccounts.ts";

export const DEMO_DIR = path.join(PROJECT_ROOT, "demo");
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
  const { prisma } = services.db;
  if ((await prisma.beneficiary.count()) > 0) return null;
  for (const list of DEMO_LISTS) {
    const report = await importPaymentList(services.db, path.join(DEMO_DIR, list), { secret: services.secret });
    if (report.rejected > 0) throw new Error(`demo list ${list} has rejected rows: ${JSON.stringify(report.problems)}`);
  }
  const communes = await importCommuneList(services.db, path.join(DEMO_DIR, DEMO_COMMUNES));
  if (communes.rejected > 0) throw new Error(`demo commune list has rejected rows: ${JSON.stringify(communes.problems)}`);
  // The payment results the provider would report (a later import): November paid, one failed.
  const november = await prisma.paymentPeriod.findUniqueOrThrow({ where: { period: "2026-11" } });
  await prisma.payment.updateMany({
    where: { periodId: november.id },
    data: { status: "paid", paidAt: new Date("2026-11-05T02:30:00Z"), reference: "DEMO-PAID" },
  });
  const failing = await prisma.beneficiary.findUniqueOrThrow({ where: { code: "DEMO-0004" } });
  await prisma.payment.updateMany({
    where: { periodId: november.id, beneficiaryId: failing.id },
    data: { status: "failed", paidAt: null, failureReason: "Ví Viettel Money chưa được kích hoạt" },
  });
  const consoleAccounts = await createDemoConsoleAccountsIfNone(services.db.sql);
  return { beneficiaries: await prisma.beneficiary.count(), payments: await prisma.payment.count(), consoleAccounts };
}
