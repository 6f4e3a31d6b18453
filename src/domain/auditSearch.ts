import type Database from "better-sqlite3";
import { sqlTimestamp } from "../db/database.ts";

export interface AuditRow {
  id: number;
  actorKind: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  channel: string | null;
  before: string | null;
  after: string | null;
  createdAt: string;
}

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
export function searchAuditLog(sql: Database.Database, filter: AuditFilter, page: { limit: number; offset: number }): { rows: AuditRow[]; total: number } {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.actor) {
    where.push("actorId = ?");
    params.push(filter.actor);
  }
  if (filter.action) {
    where.push(`action LIKE ? ESCAPE '\\'`);
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
  const total = sql.prepare(`SELECT COUNT(*) FROM AuditLog ${condition}`).pluck().get(...params) as number;
  const rows = sql
    .prepare(`SELECT id, actorKind, actorId, action, entity, entityId, channel, before, after, createdAt FROM AuditLog ${condition} ORDER BY createdAt DESC, id DESC LIMIT ? OFFSET ?`)
    .all(...params, page.limit, page.offset) as AuditRow[];
  return { rows, total };
}

/** The entities the log has rows for, for the filter's choices. */
export function auditEntities(sql: Database.Database): string[] {
  return sql.prepare(`SELECT DISTINCT entity FROM AuditLog ORDER BY entity`).pluck().all() as string[];
}
