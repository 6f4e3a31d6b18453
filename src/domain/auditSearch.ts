import { sqlTimestamp } from "../db/sql/sqlTimestamp.ts";
import type { Row } from "../db/query/tables.ts";
import type { Sql } from "../db/sql/sql.ts";

export type AuditRow = Row<"AuditLog">;

export interface AuditFilter {
  /** Exact actor id (a username, "cli", an import file…). */
  actor?: string;
  /** An action or the start of one: "console." finds every console sign-in event. */
  action?: string;
  entity?: string;
  entityId?: string;
  /** From this instant (inclusive) to that one (exclusive). */
  from?: Date;
  to?: Date;
}

const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The audit log, newest first, filtered; a page of rows and how many match. */
export async function searchAuditLog(sql: Sql, filter: AuditFilter, page: { limit: number; offset: number }): Promise<{ rows: AuditRow[]; total: number }> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.actor) {
    where.push("actorId = ?");
    params.push(filter.actor);
  }
  if (filter.action) {
    where.push(`lower(action) LIKE lower(?) ESCAPE '\\'`);
    params.push(prefixPattern(filter.action));
  }
  if (filter.entity) {
    where.push("entity = ?");
    params.push(filter.entity);
  }
  if (filter.entityId) {
    where.push("entityId = ?");
    params.push(filter.entityId);
  }
  if (filter.from) {
    where.push("createdAt >= ?");
    params.push(sqlTimestamp(filter.from));
  }
  if (filter.to) {
    where.push("createdAt < ?");
    params.push(sqlTimestamp(filter.to));
  }
  const condition = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM AuditLog ${condition}`, params))!.n;
  const rows = await sql.all<AuditRow>(
    `SELECT id, actorKind, actorId, action, entity, entityId, channel, before, after, createdAt FROM AuditLog ${condition} ORDER BY createdAt DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, page.limit, page.offset],
  );
  return { rows, total };
}

/** The entities the log has rows for, for the filter's choices. */
export async function auditEntities(sql: Sql): Promise<string[]> {
  return (await sql.all<{ entity: string }>(`SELECT DISTINCT entity FROM AuditLog ORDER BY entity`)).map((r) => r.entity);
}
