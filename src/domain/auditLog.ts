import type Database from "better-sqlite3";
import { sqlTimestamp } from "../db/database.ts";

/** One line of the audit log: who did what to which record, and the record before and after. */
export interface AuditEntry {
  /** beneficiary | guardian | anonymous | bot | import | staff | system */
  actorKind: string;
  /** The staff member's username, the person's id, or null. */
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  channel?: string | null;
  before?: unknown;
  after?: unknown;
  at: Date;
}

export type WriteAudit = (entry: AuditEntry) => void;

/** Writes audit entries on one prepared statement; runs inside the caller's transaction, with the change it records. */
export function auditLogWriter(sql: Database.Database): WriteAudit {
  const insert = sql.prepare(
    `INSERT INTO AuditLog (actorKind, actorId, action, entity, entityId, channel, before, after, createdAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  return (entry) =>
    insert.run(entry.actorKind, entry.actorId, entry.action, entry.entity, entry.entityId, entry.channel ?? null, json(entry.before), json(entry.after), sqlTimestamp(entry.at));
}
