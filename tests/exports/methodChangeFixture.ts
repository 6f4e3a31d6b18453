import { sqlTimestamp, type AppDatabase } from "../../src/db/database.ts";
import { lastFour } from "../../src/shared/mask.ts";
import { seal } from "../../src/shared/secrets.ts";

export interface RequestSpec {
  reference: string;
  code: string;
  method: "bank" | "mobile_money" | "cash" | "cash_home";
  provider?: string;
  account?: string;
  walletPhone?: string;
  homeReason?: string;
  status?: string;
  createdAt?: Date;
  /** Where the request was made (telegram by default), and by whom (the beneficiary by default). */
  channel?: string;
  guardianId?: number;
}

/** A method-change request as the bot records it (effectWriter): the account sealed, its last 4 digits beside it. */
export function createRequest(db: AppDatabase, secret: Buffer, spec: RequestSpec): number {
  const beneficiaryId = db.sqlite.prepare(`SELECT id FROM Beneficiary WHERE code = ?`).pluck().get(spec.code) as number;
  const at = sqlTimestamp(spec.createdAt ?? new Date("2025-07-20T03:00:00Z"));
  return Number(
    db.sqlite
      .prepare(
        `INSERT INTO MethodChangeRequest (reference, beneficiaryId, requestedMethod, accountProvider, accountNumberSealed, accountLast4,
           walletPhone, homeReason, requestedByKind, requestedById, channel, verification, status, createdAt, updatedAt)
         VALUES (@reference, @beneficiaryId, @method, @provider, @sealed, @last4, @walletPhone, @homeReason, @byKind, @byId,
           @channel, 'phone', @status, @at, @at)`,
      )
      .run({
        reference: spec.reference,
        beneficiaryId,
        method: spec.method,
        provider: spec.provider ?? null,
        sealed: spec.account ? seal(spec.account, secret) : null,
        last4: spec.account ? lastFour(spec.account) : null,
        walletPhone: spec.walletPhone ?? null,
        homeReason: spec.homeReason ?? null,
        status: spec.status ?? "pending",
        byKind: spec.guardianId ? "guardian" : "beneficiary",
        byId: spec.guardianId ?? beneficiaryId,
        channel: spec.channel ?? "telegram",
        at,
      }).lastInsertRowid,
  );
}

export const statusOf = (db: AppDatabase, reference: string) =>
  db.sqlite.prepare(`SELECT status FROM MethodChangeRequest WHERE reference = ?`).pluck().get(reference) as string;
