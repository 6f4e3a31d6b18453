import type Database from "better-sqlite3";
import type { Scope } from "./scope.ts";

/** A positive whole number from a URL or form (an id), or null. */
export function positiveId(value: unknown): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,14}$/.test(value)) return null;
  return Number(value);
}

/** The communes this person may see, by name: for filters and forms. */
export function communesInScope(sql: Database.Database, scope: Scope): { id: number; name: string }[] {
  const filter = scope.communeFilter("c.id");
  return sql.prepare(`SELECT c.id, c.name FROM Commune c WHERE ${filter.sql} ORDER BY c.name`).all(...filter.params) as { id: number; name: string }[];
}
