import type { AppDatabase } from "../../src/db/database.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
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
export async function createRequest(db: AppDatabase, secret: Buffer, spec: RequestSpec): Promise<number> {
  const beneficiaryId = (await db.sql.get<{ id: number }>(`SELECT id FROM Beneficiary WHERE code = ?`, [spec.code]))!.id;
  const at = sqlTimestamp(spec.createdAt ?? new Date("2025-07-20T03:00:00Z"));
  const row = await db.sql.get<{ id: number }>(
        `INSERT INTO MethodChangeRequest (reference, beneficiaryId, requestedMethod, accountProvider, accountNumberSealed, accountLast4,
           walletPhone, homeReason, requestedByKind, requestedById, channel, verification, status, createdAt, updatedAt)
         VALUES (@reference, @beneficiaryId, @method, @provider, @sealed, @last4, @walletPhone, @homeReason, @byKind, @byId,
           @channel, 'phone', @status, @at, @at) RETURNING id`,
      {
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
      },
  );
  return row!.id;
}

export const statusOf = async (db: AppDatabase, reference: string) =>
  (await db.sql.get<{ status: string }>(`SELECT status FROM MethodChangeRequest WHERE reference = ?`, [reference]))?.status;
