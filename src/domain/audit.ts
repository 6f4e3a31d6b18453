import { sqlTimestamp } from "../db/sql/sqlTimestamp.ts";
import type { Sql } from "../db/sql/sql.ts";

/** Who did something: a console user (actorKind "staff", actorId their username), the bot, an import… */
export type ActorKind = "beneficiary" | "guardian" | "anonymous" | "bot" | "import" | "staff" | "system";

export interface AuditEntry {
  actorKind: ActorKind;
  actorId: string | null;
  /** What was done, as `entity_kind.verb`: "console.login", "console_user.created", "broadcast.sent". */
  action: string;
  entity: string;
  entityId?: string | number | null;
  channel?: string | null;
  /** What the entity looked like before and after (stored as JSON). Never a password, token or full number. */
  before?: unknown;
  after?: unknown;
  at?: Date;
}

const INSERT_AUDIT = `INSERT INTO AuditLog (actorKind, actorId, action, entity, entityId, channel, before, after, createdAt)
       VALUES (@actorKind, @actorId, @action, @entity, @entityId, @channel, @before, @after, @at)`;

/**
 * Writes one AuditLog row. Call it inside the transaction that makes the change, so the record
 * and the change land together.
 */
export async function audit(sql: Sql, entry: AuditEntry): Promise<void> {
  await sql.run(INSERT_AUDIT, {
    actorKind: entry.actorKind,
    actorId: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    channel: entry.channel ?? null,
    before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
    after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
    at: sqlTimestamp(entry.at ?? new Date()),
  });
}

export type WriteAudit = (entry: AuditEntry) => Promise<void>;

/** `audit` bound to one database, for code that writes several entries. */
export function auditWriter(sql: Sql): WriteAudit {
  return (entry) => audit(sql, entry);
}
