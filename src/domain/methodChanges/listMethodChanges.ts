import type Database from "better-sqlite3";
import { maskAccount } from "../../shared/mask.ts";
import { maskPhone } from "../../shared/phone.ts";
import { matchKey } from "../../shared/text.ts";

export const METHOD_CHANGE_STATUSES = ["pending", "approved", "rejected", "exported", "cancelled"] as const;
export type MethodChangeStatus = (typeof METHOD_CHANGE_STATUSES)[number];

/** A request as staff see it in a list: the account and wallet phone masked, never in full. */
export interface MethodChangeListing {
  reference: string;
  status: string;
  beneficiaryCode: string;
  fullName: string;
  commune: string;
  requestedMethod: string;
  /** "Agribank ***6789", "Viettel Money ***222", "at home: illness", or "" for cash at the pay point. */
  details: string;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

interface Row {
  reference: string;
  status: string;
  code: string;
  fullName: string;
  commune: string;
  communeKey: string;
  requestedMethod: string;
  accountProvider: string | null;
  accountLast4: string | null;
  walletPhone: string | null;
  homeReason: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

/** The commune a name means: "Xã Bắc Sơn", "bac son" and "Bắc Sơn" alike. */
export function communeMatches(communeKey: string, wanted: string): boolean {
  const strip = (key: string) => key.replace(/^(xa|phuong|thi tran)\s+/, "");
  return strip(communeKey) === strip(matchKey(wanted));
}

/** Requests with the given status (pending by default), optionally of one commune, oldest first. */
export function listMethodChanges(sql: Database.Database, filter: { status?: MethodChangeStatus; commune?: string } = {}): MethodChangeListing[] {
  const rows = sql
    .prepare<[string], Row>(
      `SELECT r.reference, r.status, b.code, b.fullName, c.name AS commune, c.key AS communeKey, r.requestedMethod, r.accountProvider,
              r.accountLast4, r.walletPhone, r.homeReason, r.createdAt, r.decidedAt, r.decidedBy, r.decisionReason
       FROM MethodChangeRequest r JOIN Beneficiary b ON b.id = r.beneficiaryId JOIN Commune c ON c.id = b.communeId
       WHERE r.status = ? ORDER BY r.createdAt, r.id`,
    )
    .all(filter.status ?? "pending");
  return rows
    .filter((row) => !filter.commune || communeMatches(row.communeKey, filter.commune))
    .map((row) => ({
      reference: row.reference,
      status: row.status,
      beneficiaryCode: row.code,
      fullName: row.fullName,
      commune: row.commune,
      requestedMethod: row.requestedMethod,
      details: requestDetails(row),
      createdAt: new Date(row.createdAt),
      decidedAt: row.decidedAt ? new Date(row.decidedAt) : null,
      decidedBy: row.decidedBy,
      decisionReason: row.decisionReason,
    }));
}

function requestDetails(row: Pick<Row, "requestedMethod" | "accountProvider" | "accountLast4" | "walletPhone" | "homeReason">): string {
  switch (row.requestedMethod) {
    case "bank":
      return [row.accountProvider, maskAccount(row.accountLast4)].filter(Boolean).join(" ");
    case "mobile_money":
      return [row.accountProvider, row.walletPhone ? maskPhone(row.walletPhone) : null].filter(Boolean).join(" ");
    case "cash_home":
      return row.homeReason ? `at home: ${row.homeReason}` : "at home";
    default:
      return "";
  }
}
