import type { Sql } from "../../db/sql/sql.ts";
import type { Scope } from "./scope.ts";

/** A positive whole number from a URL or form (an id), or null. */
export function positiveId(value: unknown): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,14}$/.test(value)) return null;
  return Number(value);
}

/** The communes this person may see, by name: for filters and forms. */
export function communesInScope(sql: Sql, scope: Scope): Promise<{ id: number; name: string }[]> {
  const filter = scope.communeFilter("c.id");
  return sql.all<{ id: number; name: string }>(`SELECT c.id, c.name FROM Commune c WHERE ${filter.sql} ORDER BY c.name`, filter.params);
}

/**
 * A `?commune=` filter: absent (every commune of the scope), one commune of the scope, "bad" when
 * it is not an id, "not_found" for another commune's id or one that does not exist (the same answer).
 */
export function communeFilterParam(value: unknown, communes: { id: number }[], scope: Scope): { communeId: number | undefined } | "bad" | "not_found" {
  if (value === undefined || value === "") return { communeId: undefined };
  const id = positiveId(value);
  if (id === null) return "bad";
  return scope.allowsCommune(id) && communes.some((c) => c.id === id) ? { communeId: id } : "not_found";
}
