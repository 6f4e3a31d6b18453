import type Database from "better-sqlite3";
import { sqlTimestamp } from "../db/database.ts";

/** One entry of the audit log: who did what to which record, with what it was before and after. */
export interface AuditEntry {
  actorKind: "beneficiary" | "guardian" | "bot" | "import" | "staff" | "system";
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | number | null;
  channel?: string | null;
  /** Stored as JSON. Never a full citizen ID, account or phone number. */
  before?: unknown;
  after?: unknown;
  at: Date;
}

/** A writer of audit entries on `sql`, prepared once; run it inside the transaction of the change it records. */
export function auditWriter(sql: Database.Database): (entry: AuditEntry) => void {
  const insert = sql.prepare(
    `INSERT INTO AuditLog (actorKind, actorId, action, entity, entityId, channel, before, after, createdAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  return (entry) => {
    insert.run(
      entry.actorKind,
      entry.actorId,
      entry.action,
      entry.entity,
      entry.entityId === null ? null : String(entry.entityId),
      entry.channel ?? null,
      json(entry.before),
      json(entry.after),
      sqlTimestamp(entry.at),
    );
  };
}
