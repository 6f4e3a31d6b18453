import type { Sql } from "../../db/sql/sql.ts";
import { maskAccount } from "../../shared/mask.ts";
import { maskPhone } from "../../shared/phone.ts";
import { matchKey } from "../../shared/text.ts";
import { ALL_COMMUNES, scopeCondition, type StaffScope } from "../staffScope.ts";

export const METHOD_CHANGE_STATUSES = ["pending", "approved", "rejected", "exported", "cancelled"] as const;
export type MethodChangeStatus = (typeof METHOD_CHANGE_STATUSES)[number];

/** A request as staff see it in a list: the account and wallet phone masked, never in full. */
export interface MethodChangeListing {
  id: number;
  reference: string;
  status: string;
  beneficiaryId: number;
  beneficiaryCode: string;
  fullName: string;
  communeId: number;
  commune: string;
  requestedMethod: string;
  /** "Agribank ***6789", "Viettel Money ***222", "at home: illness", or "" for cash at the pay point. */
  details: string;
  /** Why the money should come home (illness, disability, age), for cash_home. */
  homeReason: string | null;
  /** How the beneficiary is paid now (as of the latest list), masked the same way. */
  current: { method: string | null; details: string };
  /** Who asked (the beneficiary, or a guardian of theirs), on which channel, identified how. */
  requester: { kind: string; name: string | null };
  channel: string;
  verification: string;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
}

interface Row {
  id: number;
  reference: string;
  status: string;
  beneficiaryId: number;
  code: string;
  fullName: string;
  communeId: number;
  commune: string;
  communeKey: string;
  requestedMethod: string;
  accountProvider: string | null;
  accountLast4: string | null;
  walletPhone: string | null;
  homeReason: string | null;
  currentMethod: string | null;
  currentProvider: string | null;
  currentLast4: string | null;
  requestedByKind: string;
  requesterName: string | null;
  channel: string;
  verification: string;
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

/**
 * Requests with the given status (pending by default), of the communes in `scope` (all by default),
 * optionally of one commune named as people write it, oldest first. With `id`, that one request
 * whatever its status (unless one is given), if it lies in the scope.
 */
export async function listMethodChanges(
  sql: Sql,
  filter: { status?: MethodChangeStatus; commune?: string; scope?: StaffScope; id?: number } = {},
): Promise<MethodChangeListing[]> {
  if (filter.id !== undefined && !Number.isSafeInteger(filter.id)) return [];
  const rows = await sql.all<Row>(
      `SELECT r.id, r.reference, r.status, r.beneficiaryId, b.code, b.fullName, b.communeId, c.name AS commune, c.key AS communeKey, r.requestedMethod,
              r.accountProvider, r.accountLast4, r.walletPhone, r.homeReason,
              b.paymentMethod AS currentMethod, b.accountProvider AS currentProvider, b.accountLast4 AS currentLast4,
              r.requestedByKind, CASE r.requestedByKind WHEN 'guardian' THEN g.fullName ELSE rb.fullName END AS requesterName,
              r.channel, r.verification, r.createdAt, r.decidedAt, r.decidedBy, r.decisionReason
       FROM MethodChangeRequest r JOIN Beneficiary b ON b.id = r.beneficiaryId JOIN Commune c ON c.id = b.communeId
       LEFT JOIN Guardian g ON r.requestedByKind = 'guardian' AND g.id = r.requestedById
       LEFT JOIN Beneficiary rb ON r.requestedByKind != 'guardian' AND rb.id = r.requestedById
       WHERE (CAST(@status AS TEXT) IS NULL OR r.status = @status) AND (CAST(@id AS INTEGER) IS NULL OR r.id = @id)
         AND ${scopeCondition(filter.scope ?? ALL_COMMUNES, "b.communeId")} ORDER BY r.createdAt, r.id`,
      { status: filter.status ?? (filter.id === undefined ? "pending" : null), id: filter.id ?? null },
  );
  return rows
    .filter((row) => !filter.commune || communeMatches(row.communeKey, filter.commune))
    .map((row) => ({
      id: row.id,
      reference: row.reference,
      status: row.status,
      beneficiaryId: row.beneficiaryId,
      beneficiaryCode: row.code,
      fullName: row.fullName,
      communeId: row.communeId,
      commune: row.commune,
      requestedMethod: row.requestedMethod,
      details: requestDetails(row),
      homeReason: row.homeReason,
      current: {
        method: row.currentMethod,
        details: currentDetails(row),
      },
      requester: { kind: row.requestedByKind, name: row.requesterName },
      channel: row.channel,
      verification: row.verification,
      createdAt: new Date(row.createdAt),
      decidedAt: row.decidedAt ? new Date(row.decidedAt) : null,
      decidedBy: row.decidedBy,
      decisionReason: row.decisionReason,
    }));
}

/** One request by id, of any status, if it lies in the scope; null otherwise (missing or another commune's alike). */
export async function findMethodChange(sql: Sql, id: number, scope: StaffScope): Promise<MethodChangeListing | null> {
  return (await listMethodChanges(sql, { id, scope }))[0] ?? null;
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

/** The method a beneficiary is paid by now: the list keeps an account or wallet number sealed, with its last 4 digits. */
function currentDetails(row: Pick<Row, "currentMethod" | "currentProvider" | "currentLast4">): string {
  if (row.currentMethod === "cash_home") return "at home";
  if (row.currentMethod !== "bank" && row.currentMethod !== "mobile_money") return "";
  return [row.currentProvider, row.currentLast4 ? maskAccount(row.currentLast4) : null].filter(Boolean).join(" ");
}
