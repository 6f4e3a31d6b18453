import type { Sql } from "../../db/sql/sql.ts";
import { PAYMENT_METHODS } from "../paymentMethods.ts";
import { scopeCondition, type StaffScope } from "../staffScope.ts";

/**
 * Who a broadcast is for: beneficiaries of these communes, of these categories, paid by these
 * methods (an empty list means no limit on that), and the guardians linked to them.
 * `communeIds` is empty only for an admin's "everyone"; staff audiences always name communes.
 */
export interface Audience {
  communeIds: number[];
  categories: string[];
  paymentMethods: string[];
}

export type AudienceResult =
  | { ok: true; audience: Audience }
  | { ok: false; error: "out_of_scope"; communeIds: number[]; message: string }
  | { ok: false; error: "invalid"; message: string };

/**
 * People who said "stop" (TẮT NHẮC, which turns `remindersOn` off: the one opt-out a person has)
 * and people the platform refuses to reach (blocked the bot) are never sent a broadcast.
 */
export const REACHABLE_IDENTITY = "ci.unreachable = FALSE AND ci.remindersOn = TRUE";

const unique = <T>(values: T[]) => [...new Set(values)];

/**
 * Checks an audience against the scope of the person sending it and makes it explicit: no commune
 * means every commune of the scope. A commune outside the scope is refused (naming it), not
 * dropped; an unknown commune, category or payment method is refused as invalid.
 */
export async function resolveAudience(sql: Sql, audience: Partial<Audience>, scope: StaffScope): Promise<AudienceResult> {
  const communeIds = unique(audience.communeIds ?? []);
  const categories = unique((audience.categories ?? []).map((c) => c.trim()).filter(Boolean));
  const paymentMethods = unique(audience.paymentMethods ?? []);
  if (communeIds.some((id) => !Number.isSafeInteger(id))) return { ok: false, error: "invalid", message: "Commune ids must be whole numbers." };
  const known = new Set((await sql.all<{ id: number }>(`SELECT id FROM Commune`)).map((row) => row.id));
  const unknown = communeIds.filter((id) => !known.has(id));
  const outside = scope.communeIds === "all" ? [] : communeIds.filter((id) => !(scope.communeIds as number[]).includes(id));
  if (outside.length) {
    return { ok: false, error: "out_of_scope", communeIds: outside, message: `You may not send to commune${outside.length > 1 ? "s" : ""} ${outside.join(", ")}.` };
  }
  if (unknown.length) return { ok: false, error: "invalid", message: `No commune has the id ${unknown.join(", ")}.` };
  const communes = communeIds.length || scope.communeIds === "all" ? communeIds : scope.communeIds;
  if (scope.communeIds !== "all" && communes.length === 0) return { ok: false, error: "out_of_scope", communeIds: [], message: "You have no commune to send to." };
  const badMethods = paymentMethods.filter((m) => !(PAYMENT_METHODS as readonly string[]).includes(m));
  if (badMethods.length) return { ok: false, error: "invalid", message: `Unknown payment method ${badMethods.join(", ")}: use ${PAYMENT_METHODS.join(", ")}.` };
  if (categories.length) {
    const present = new Set(await audienceCategories(sql, { communeIds: communes.length ? communes : "all" }));
    const missing = categories.filter((c) => !present.has(c));
    if (missing.length) return { ok: false, error: "invalid", message: `No beneficiary of these communes is in the categor${missing.length > 1 ? "ies" : "y"} ${missing.join(", ")}.` };
  }
  return { ok: true, audience: { communeIds: [...communes].sort((a, b) => a - b), categories, paymentMethods } };
}

/** The categories of beneficiary found in the scope's communes, for the audience form. */
export async function audienceCategories(sql: Sql, scope: StaffScope): Promise<string[]> {
  const rows = await sql.all<{ category: string }>(`SELECT DISTINCT category FROM Beneficiary b WHERE ${scopeCondition(scope, "b.communeId")} ORDER BY category`);
  return rows.map((row) => row.category);
}

/**
 * The audience as a condition over Beneficiary `b`, with its parameters: people whose support has
 * ended are left out. Only for an audience that went through `resolveAudience`.
 */
export function audienceCondition(audience: Audience): { condition: string; params: Record<string, string> } {
  const parts = ["b.status != 'ended'", scopeCondition({ communeIds: audience.communeIds.length ? audience.communeIds : "all" }, "b.communeId")];
  const params: Record<string, string> = {};
  // One named parameter per value, written out in the statement: an audience names a handful of
  // categories and methods, and an IN list reads the same on both databases (json_each is SQLite's).
  const inList = (column: string, name: string, values: string[]) => {
    const names = values.map((value, i) => ((params[`${name}${i}`] = value), `@${name}${i}`));
    parts.push(`${column} IN (${names.join(", ")})`);
  };
  if (audience.categories.length) inList("b.category", "audienceCategory", audience.categories);
  if (audience.paymentMethods.length) inList("b.paymentMethod", "audienceMethod", audience.paymentMethods);
  return { condition: parts.join(" AND "), params };
}

/** Whether a stored audience lies within a scope: an audience of every commune only within "all". */
export function audienceInScope(audience: Audience, scope: StaffScope): boolean {
  if (scope.communeIds === "all") return true;
  const allowed = scope.communeIds;
  return audience.communeIds.length > 0 && audience.communeIds.every((id) => allowed.includes(id));
}
