import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";

/**
 * The communes a member of staff may see and act on: their own, or "all" (operators and admins).
 * One place turns it into a check and a SQL condition, so every console action applies it the
 * same way: what lies outside the scope is refused (or reads as not found), never widened.
 */
export interface StaffScope {
  communeIds: number[] | "all";
}

export const ALL_COMMUNES: StaffScope = { communeIds: "all" };

function checkedIds(ids: number[]): number[] {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new Error(`a commune id must be a whole number (got ${String(id)})`);
  return ids;
}

export function inScope(scope: StaffScope, communeId: number): boolean {
  return scope.communeIds === "all" || scope.communeIds.includes(communeId);
}

/**
 * A SQL condition true only for rows whose `column` (a commune id) lies in the scope. The ids are
 * checked to be whole numbers and written into the statement: a scope is a handful of communes.
 */
export function scopeCondition(scope: StaffScope, column: string): string {
  if (scope.communeIds === "all") return "1 = 1";
  const ids = checkedIds(scope.communeIds);
  return ids.length ? `${column} IN (${ids.join(", ")})` : "1 = 0";
}

/** The same condition in a typed query: `.where((eb) => inScopeWhere(eb, "b.communeId", scope))`. */
export function inScopeWhere<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: Parameters<ExpressionBuilder<DB, TB>["ref"]>[0], scope: StaffScope): Expression<SqlBool> {
  if (scope.communeIds === "all") return eb.lit(true);
  const ids = checkedIds(scope.communeIds);
  return ids.length ? sql<SqlBool>`${eb.ref(column)} in (${sql.join(ids)})` : eb.lit(false);
}
