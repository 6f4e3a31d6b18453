import type { Sql } from "../../db/sql/sql.ts";
import { communeIdsOf, type ConsoleRole } from "../../domain/consoleUsers/consoleUsers.ts";
import type { StaffScope } from "../../domain/staffScope.ts";

export interface ConsoleUser {
  id: number;
  username: string;
  displayName: string;
  role: ConsoleRole;
}

/** A condition to AND into a query's WHERE, with its parameters: `WHERE ${f.sql} AND …`, `sql.all(…, [...f.params, …])`. */
export interface SqlFilter {
  sql: string;
  params: number[];
}

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * What the signed-in person may see: the one place that decides it. Operators and admins see
 * every commune; commune staff only the communes their account works for. Every page and action
 * that touches a commune's data asks this object, on the server, whatever the URL or form says.
 */
export class Scope {
  constructor(
    readonly user: ConsoleUser,
    /** "all", or the ids of the communes this person works for (possibly none). */
    readonly communeIds: readonly number[] | "all",
    private readonly sql: Sql,
  ) {}

  get role(): ConsoleRole {
    return this.user.role;
  }

  hasRole(...roles: ConsoleRole[]): boolean {
    return roles.includes(this.user.role);
  }

  allowsCommune(communeId: number | null | undefined): boolean {
    if (communeId === null || communeId === undefined) return this.communeIds === "all";
    return this.communeIds === "all" || this.communeIds.includes(communeId);
  }

  /** Whether a beneficiary (by id) lives in a commune of this scope; false for an unknown id. */
  async allowsBeneficiary(beneficiaryId: number): Promise<boolean> {
    if (!Number.isSafeInteger(beneficiaryId)) return false;
    const row = await this.sql.get<{ communeId: number }>(`SELECT communeId FROM Beneficiary WHERE id = ?`, [beneficiaryId]);
    return row !== undefined && this.allowsCommune(row.communeId);
  }

  /** The same communes as the domain's functions take them (`{ communeIds }`): they check it again themselves. */
  get staffScope(): StaffScope {
    return { communeIds: this.communeIds === "all" ? "all" : [...this.communeIds] };
  }

  /**
   * Restricts a query to this scope's communes: `communeFilter("b.communeId")` gives
   * `{ sql: "b.communeId IN (?, ?)", params: [3, 7] }`, `"1 = 1"` for all, `"0 = 1"` for none.
   */
  communeFilter(column: string): SqlFilter {
    if (!COLUMN.test(column)) throw new Error(`communeFilter: "${column}" is not a column name`);
    if (this.communeIds === "all") return { sql: "1 = 1", params: [] };
    if (this.communeIds.length === 0) return { sql: "0 = 1", params: [] };
    return { sql: `${column} IN (${this.communeIds.map(() => "?").join(", ")})`, params: [...this.communeIds] };
  }
}

export async function scopeFor(sql: Sql, user: ConsoleUser): Promise<Scope> {
  return new Scope(user, user.role === "staff" ? await communeIdsOf(sql, user.id) : "all", sql);
}
