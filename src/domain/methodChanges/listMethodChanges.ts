import { qualified } from "../../db/query/qualified.ts";
import { typedQuery } from "../../db/query/typedQuery.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { maskAccount } from "../../shared/mask.ts";
import { maskPhone } from "../../shared/phone.ts";
import { matchKey } from "../../shared/text.ts";
import { ALL_COMMUNES, inScopeWhere, type StaffScope } from "../staffScope.ts";
import { REQUESTED_METHOD_COLUMNS, type RequestedMethod } from "../store/columnSets.ts";

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
  const status = filter.status ?? (filter.id === undefined ? "pending" : undefined);
  const rows = await typedQuery(sql)
    .selectFrom("MethodChangeRequest as r")
    .innerJoin("Beneficiary as b", "b.id", "r.beneficiaryId")
    .innerJoin("Commune as c", "c.id", "b.communeId")
    // Whoever asked: a guardian of the beneficiary, or the beneficiary (one of the two joins finds them).
    .leftJoin("Guardian as g", (join) => join.on("r.requestedByKind", "=", "guardian").onRef("g.id", "=", "r.requestedById"))
    .leftJoin("Beneficiary as rb", (join) => join.on("r.requestedByKind", "!=", "guardian").onRef("rb.id", "=", "r.requestedById"))
    .select([
      ...qualified("r", ["id", "status", "beneficiaryId", "requestedByKind", "channel", "verification", "createdAt", "decidedAt", "decidedBy", "decisionReason"] as const),
      ...qualified("r", REQUESTED_METHOD_COLUMNS),
      ...qualified("b", ["code", "fullName", "communeId"] as const),
      "c.name as commune",
      "c.key as communeKey",
      "b.paymentMethod as currentMethod",
      "b.accountProvider as currentProvider",
      "b.accountLast4 as currentLast4",
    ])
    .select((eb) => eb.fn.coalesce("g.fullName", "rb.fullName").as("requesterName"))
    .$if(status !== undefined, (query) => query.where("r.status", "=", status!))
    .$if(filter.id !== undefined, (query) => query.where("r.id", "=", filter.id!))
    .where((eb) => inScopeWhere(eb, "b.communeId", filter.scope ?? ALL_COMMUNES))
    .orderBy("r.createdAt")
    .orderBy("r.id")
    .execute();
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

function requestDetails(row: Omit<RequestedMethod, "reference">): string {
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
function currentDetails(row: { currentMethod: string | null; currentProvider: string | null; currentLast4: string | null }): string {
  if (row.currentMethod === "cash_home") return "at home";
  if (row.currentMethod !== "bank" && row.currentMethod !== "mobile_money") return "";
  return [row.currentProvider, row.currentLast4 ? maskAccount(row.currentLast4) : null].filter(Boolean).join(" ");
}
