import type { AppDatabase } from "../../db/database.ts";
import { PaymentListApplier, type ApplyContext, type RowOutcome } from "./applyPaymentRow.ts";
import { loadExistingRecords } from "./existingRecords.ts";
import { databaseStore, dryRunStore } from "./recordStore.ts";
import type { PaymentListRow } from "./validatePaymentRow.ts";
import { writeInBatches } from "./writeInBatches.ts";

export interface WriteOptions extends ApplyContext {
  dryRun: boolean;
  /** One transaction for everything: either every row lands or none does. */
  allOrNothing: boolean;
  onProgress?: (done: number, total: number) => void;
}

export type WriteCounts = Record<RowOutcome, number>;

/** Writes valid rows (or, in a dry run, works out what writing them would do). */
export async function writePaymentList(db: AppDatabase, rows: PaymentListRow[], options: WriteOptions): Promise<WriteCounts> {
  const periods = [...new Set(rows.map((r) => r.period))];
  const records = await loadExistingRecords(db.sql, periods);
  const store = options.dryRun ? dryRunStore() : databaseStore(db.sql);
  const applier = new PaymentListApplier(store, records, options);
  const counts: WriteCounts = { created: 0, updated: 0, unchanged: 0 };
  const applyBatch = async (batch: PaymentListRow[]) => {
    applier.setClock(new Date());
    await applier.createBeneficiaries(batch);
    for (const row of batch) counts[await applier.apply(row)]++;
    await applier.flush();
  };
  await writeInBatches(db.sql, rows, applyBatch, options);
  return counts;
}
