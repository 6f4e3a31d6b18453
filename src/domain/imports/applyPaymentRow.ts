import { hashCitizenId } from "../../shared/citizenId.ts";
import { lastFour } from "../../shared/mask.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { matchKey } from "../../shared/text.ts";
import { beneficiaryAuditValues, nextBeneficiary, type BeneficiaryContext } from "./beneficiaryChanges.ts";
import {
  type BeneficiaryRecord,
  guardianPhoneNameKey,
  paymentKey,
  type ExistingRecords,
  type GuardianRecord,
  type PaymentRecord,
} from "./existingRecords.ts";
import type { NewPayment, RecordStore } from "./recordStore.ts";
import type { GuardianOnList, PaymentListRow } from "./validatePaymentRow.ts";

export type RowOutcome = "created" | "updated" | "unchanged";

export interface ApplyContext extends BeneficiaryContext {
  /** The ImportRun row, named as the actor of every audit entry. */
  importRunId: number;
}

const PAYMENT_FIELDS = ["amount", "backPay", "method", "accountProvider", "accountLast4", "payDate", "payPoint"] as const;
const GUARDIAN_FIELDS = ["fullName", "phone", "citizenIdHash"] as const;

/**
 * Applies valid rows one by one: matches each to what exists (the in-memory records), writes only
 * what differs, and audits changes to records that existed before this import (what an import
 * creates is accounted for by its ImportRun row). Rows of a batch are applied one after the other
 * (never concurrently): each row's matching depends on what the rows before it wrote.
 */
export class PaymentListApplier {
  /** The batch's clock: createdAt/updatedAt (as sqlTimestamp text) and the audit entries' time. */
  private at = new Date();
  private now = sqlTimestamp(this.at);
  /** Guardians already brought up to date by an earlier row: with two spellings in one list, the first wins, so a re-import changes nothing. */
  private readonly guardiansSeen = new Set<number>();
  /** New payments of the batch, written together by `flush` (a list has one row per beneficiary, so no row needs another's payment id). */
  private pendingPayments: { record: PaymentRecord; payment: NewPayment }[] = [];
  /** Codes `createBeneficiaries` has just written, not yet applied: their row still counts them as new. */
  private readonly createdForBatch = new Set<string>();

  constructor(
    private readonly store: RecordStore,
    private readonly records: ExistingRecords,
    private readonly context: ApplyContext,
  ) {}

  /**
   * Creates the beneficiaries of the batch that do not exist yet, in one statement, before its rows
   * are applied (a list has one row per beneficiary, so no other row of the list writes them).
   */
  async createBeneficiaries(batch: readonly PaymentListRow[]): Promise<void> {
    const created: BeneficiaryRecord[] = [];
    for (const row of batch) {
      if (this.records.beneficiaryByCode.has(row.code) || this.createdForBatch.has(row.code)) continue;
      const { next } = nextBeneficiary(undefined, row, await this.commune(row), this.context);
      created.push(next);
      this.createdForBatch.add(row.code);
    }
    const ids = await this.store.insertBeneficiaries(created, this.now);
    created.forEach((beneficiary, i) => {
      beneficiary.id = ids[i];
      this.records.beneficiaryByCode.set(beneficiary.code, beneficiary);
    });
  }

  /** Writes what `apply` left pending (the batch's new payments): call it at the end of every batch, before it commits. */
  async flush(): Promise<void> {
    const pending = this.pendingPayments;
    this.pendingPayments = [];
    const ids = await this.store.insertPayments(pending.map((p) => p.payment), this.now);
    pending.forEach((p, i) => (p.record.id = ids[i]));
  }

  /** Sets the time written for the rows that follow (once per batch). */
  setClock(at: Date): void {
    this.at = at;
    this.now = sqlTimestamp(at);
  }

  async apply(row: PaymentListRow): Promise<RowOutcome> {
    const communeId = await this.commune(row);
    const { beneficiaryId, isNew, changed: beneficiaryChanged } = await this.beneficiary(row, communeId);
    const guardianChanged = row.guardian ? await this.guardian(row.guardian, beneficiaryId, isNew) : false;
    const payment = await this.payment(row, beneficiaryId, await this.periodId(row.period));
    if (payment === "created") return "created";
    return payment === "updated" || beneficiaryChanged || guardianChanged ? "updated" : "unchanged";
  }

  /** Communes are matched by their folded name; district and old name are kept from the first list that gives them. */
  private async commune(row: PaymentListRow): Promise<number> {
    const key = matchKey(row.commune);
    const existing = this.records.communeByKey.get(key);
    if (!existing) {
      const commune = { id: 0, name: row.commune, district: row.district, oldName: row.oldCommune };
      commune.id = await this.store.insert("insertCommune", { key, ...commune, now: this.now });
      this.records.communeByKey.set(key, commune);
      this.records.communeById.set(commune.id, commune);
      return commune.id;
    }
    if ((row.district && !existing.district) || (row.oldCommune && !existing.oldName)) {
      existing.district ??= row.district;
      existing.oldName ??= row.oldCommune;
      await this.store.run("fillCommune", { id: existing.id, district: existing.district, oldName: existing.oldName, now: this.now });
    }
    return existing.id;
  }

  private async beneficiary(row: PaymentListRow, communeId: number): Promise<{ beneficiaryId: number; isNew: boolean; changed: boolean }> {
    const existing = this.records.beneficiaryByCode.get(row.code);
    if (!existing) throw new Error("createBeneficiaries must run before apply, for every row of the batch");
    if (this.createdForBatch.delete(row.code)) return { beneficiaryId: existing.id, isNew: true, changed: false };
    const { next, changed } = nextBeneficiary(existing, row, communeId, this.context);
    if (changed.length === 0) return { beneficiaryId: existing.id, isNew: false, changed: false };
    await this.store.run("updateBeneficiary", { ...next, now: this.now });
    await this.audit("beneficiary.updated", "Beneficiary", next.id, {
      before: beneficiaryAuditValues(existing, changed, this.records.communeById),
      after: beneficiaryAuditValues(next, changed, this.records.communeById),
    });
    this.records.beneficiaryByCode.set(next.code, next);
    return { beneficiaryId: next.id, isNew: false, changed: true };
  }

  /**
   * The guardian is found by citizen ID when the list gives one; else by phone and name; else,
   * with neither, among the people already linked to this beneficiary by name (a name alone
   * cannot tell two people apart across a province). Returns whether anything changed.
   */
  private async guardian(listed: GuardianOnList, beneficiaryId: number, beneficiaryIsNew: boolean): Promise<boolean> {
    const citizenIdHash = listed.citizenId ? hashCitizenId(listed.citizenId, this.context.secret) : null;
    let guardian = citizenIdHash ? this.records.guardianByCitizenIdHash.get(citizenIdHash) : undefined;
    if (!guardian && listed.phone) {
      const candidate = this.records.guardianByPhoneAndName.get(guardianPhoneNameKey(listed.phone, listed.fullName));
      // Same phone and name but a different ID on record is a different person.
      if (candidate && (!citizenIdHash || !candidate.citizenIdHash)) guardian = candidate;
    }
    if (!guardian && !citizenIdHash && !listed.phone) {
      const name = matchKey(listed.fullName);
      for (const link of this.records.linksByBeneficiary.get(beneficiaryId)?.values() ?? []) {
        const linked = this.records.guardianById.get(link.guardianId);
        if (linked && matchKey(linked.fullName) === name) guardian = linked;
      }
    }

    let changed = false;
    const wanted: GuardianRecord = {
      id: guardian?.id ?? 0,
      fullName: listed.fullName,
      phone: listed.phone ?? guardian?.phone ?? null,
      citizenIdHash: citizenIdHash ?? guardian?.citizenIdHash ?? null,
      citizenIdLast4: listed.citizenId ? lastFour(listed.citizenId) : (guardian?.citizenIdLast4 ?? null),
    };
    if (!guardian) {
      wanted.id = await this.store.insert("insertGuardian", { ...wanted, now: this.now });
      guardian = wanted;
      this.indexGuardian(guardian);
      this.guardiansSeen.add(guardian.id);
    } else if (!this.guardiansSeen.has(guardian.id)) {
      this.guardiansSeen.add(guardian.id);
      const fields = GUARDIAN_FIELDS.filter((f) => guardian![f] !== wanted[f]);
      if (fields.length) {
        await this.store.run("updateGuardian", { ...wanted, now: this.now });
        await this.audit("guardian.updated", "Guardian", guardian.id, {
          before: guardianAuditValues(guardian, fields),
          after: guardianAuditValues(wanted, fields),
        });
        if (guardian.phone) this.records.guardianByPhoneAndName.delete(guardianPhoneNameKey(guardian.phone, guardian.fullName));
        this.indexGuardian(wanted);
        guardian = wanted;
        changed = true;
      }
    }
    return (await this.link(guardian.id, beneficiaryId, listed.relation, beneficiaryIsNew)) || changed;
  }

  private indexGuardian(guardian: GuardianRecord): void {
    this.records.guardianById.set(guardian.id, guardian);
    if (guardian.citizenIdHash) this.records.guardianByCitizenIdHash.set(guardian.citizenIdHash, guardian);
    if (guardian.phone) this.records.guardianByPhoneAndName.set(guardianPhoneNameKey(guardian.phone, guardian.fullName), guardian);
  }

  /** A new person allowed to receive for an existing beneficiary is audited: it is who can collect their money. */
  private async link(guardianId: number, beneficiaryId: number, relation: string | null, beneficiaryIsNew: boolean): Promise<boolean> {
    let links = this.records.linksByBeneficiary.get(beneficiaryId);
    if (!links) this.records.linksByBeneficiary.set(beneficiaryId, (links = new Map()));
    const link = links.get(guardianId);
    if (!link) {
      const id = await this.store.insert("insertLink", { guardianId, beneficiaryId, relation, now: this.now });
      links.set(guardianId, { id, guardianId, relation });
      if (beneficiaryIsNew) return false;
      await this.audit("guardian.linked", "GuardianLink", id, { before: null, after: { beneficiaryId, guardianId, relation } });
      return true;
    }
    if (relation && link.relation !== relation) {
      await this.store.run("updateLink", { id: link.id, relation });
      await this.audit("guardian_link.updated", "GuardianLink", link.id, { before: { relation: link.relation }, after: { relation } });
      link.relation = relation;
      return true;
    }
    return false;
  }

  private async periodId(period: string): Promise<number> {
    let id = this.records.periodIdByPeriod.get(period);
    if (id === undefined) {
      id = await this.store.insert("insertPeriod", { period, now: this.now });
      this.records.periodIdByPeriod.set(period, id);
    }
    return id;
  }

  private async payment(row: PaymentListRow, beneficiaryId: number, periodId: number): Promise<RowOutcome> {
    const key = paymentKey(beneficiaryId, periodId);
    const existing = this.records.paymentByKey.get(key);
    const wanted: PaymentRecord = {
      id: existing?.id ?? 0,
      amount: row.amount,
      backPay: row.backPay,
      method: row.method,
      accountProvider: row.accountProvider,
      accountLast4: row.accountNumber ? lastFour(row.accountNumber) : null,
      payDate: row.payDate,
      payPoint: row.payPoint,
    };
    if (!existing) {
      const { id: _id, ...values } = wanted;
      this.pendingPayments.push({ record: wanted, payment: { ...values, beneficiaryId, periodId } });
      this.records.paymentByKey.set(key, wanted);
      return "created";
    }
    if (this.pendingPayments.some((p) => p.record === existing)) await this.flush(); // not expected: one row per beneficiary
    const fields = PAYMENT_FIELDS.filter((f) => existing[f] !== wanted[f]);
    if (fields.length === 0) return "unchanged";
    await this.store.run("updatePayment", { ...wanted, now: this.now });
    await this.audit("payment.updated", "Payment", existing.id, { before: pick(existing, fields), after: pick(wanted, fields) });
    this.records.paymentByKey.set(key, wanted);
    return "updated";
  }

  private async audit(action: string, entity: string, entityId: number, change: { before: object | null; after: object }): Promise<void> {
    await this.store.audit({ actorId: `import-run:${this.context.importRunId}`, action, entity, entityId, ...change, at: this.at });
  }
}

function pick<T extends object, K extends keyof T>(record: T, fields: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const field of fields) picked[field] = record[field];
  return picked;
}

function guardianAuditValues(guardian: GuardianRecord, fields: readonly (typeof GUARDIAN_FIELDS)[number][]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === "citizenIdHash") values.citizenId = guardian.citizenIdLast4 ? `***${guardian.citizenIdLast4}` : null;
    else values[field] = guardian[field];
  }
  return values;
}
