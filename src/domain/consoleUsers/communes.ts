import type { Sql } from "../../db/sql/sql.ts";
import { communeMatches } from "../methodChanges/listMethodChanges.ts";
import { ConsoleUserError } from "./consoleUserError.ts";

export interface CommuneRef {
  id: number;
  name: string;
}

export function listCommunes(sql: Sql): Promise<CommuneRef[]> {
  return sql.all<CommuneRef>(`SELECT id, name FROM Commune ORDER BY name`);
}

/**
 * The communes a list of names means ("Bắc Sơn", "bac son", "Xã Bắc Sơn" or an id alike). An
 * unknown name is refused with the names that exist, so a typo never creates a staff account
 * that sees nothing.
 */
export async function findCommunes(sql: Sql, wanted: string[]): Promise<CommuneRef[]> {
  if (wanted.length === 0) return [];
  const all = await sql.all<CommuneRef & { key: string }>(`SELECT id, name, key FROM Commune ORDER BY name`);
  const found = new Map<number, CommuneRef>();
  for (const name of wanted) {
    const commune = all.find((c) => String(c.id) === name.trim() || communeMatches(c.key, name));
    if (!commune) {
      const known = all.length ? all.map((c) => c.name).join(", ") : "none yet (import a payment list first)";
      throw new ConsoleUserError("unknown_commune", `No commune is called "${name}". Communes: ${known}.`);
    }
    found.set(commune.id, { id: commune.id, name: commune.name });
  }
  return [...found.values()];
}
