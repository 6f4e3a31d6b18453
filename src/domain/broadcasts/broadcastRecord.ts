import type Database from "better-sqlite3";
import { scopeCondition, type StaffScope } from "../staffScope.ts";
import { audienceInScope, type Audience } from "./audience.ts";

export const BROADCAST_STATUSES = ["draft", "scheduled", "sending", "sent", "cancelled"] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

export interface Broadcast {
  id: number;
  textVi: string;
  textEn: string | null;
  audience: Audience;
  createdBy: string;
  status: BroadcastStatus;
  scheduledAt: Date | null;
  /** Set once every recipient's message is queued. */
  queuedAt: Date | null;
  /** Messages queued (one per person per channel). */
  recipients: number | null;
  sentAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a broadcast action answers when it does nothing, and why. A broadcast outside the caller's scope is "not_found". */
export type BroadcastRefusal = { ok: false; error: "invalid" | "out_of_scope" | "not_found" | "wrong_status"; message: string };

interface Row {
  id: number;
  textVi: string;
  textEn: string | null;
  audience: string;
  createdBy: string;
  status: BroadcastStatus;
  scheduledAt: string | null;
  queuedAt: string | null;
  recipients: number | null;
  sentAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = "id, textVi, textEn, audience, createdBy, status, scheduledAt, queuedAt, recipients, sentAt, cancelledAt, createdAt, updatedAt";
const date = (value: string | null) => (value ? new Date(value) : null);

function fromRow(row: Row): Broadcast {
  return {
    ...row,
    audience: JSON.parse(row.audience) as Audience,
    scheduledAt: date(row.scheduledAt),
    queuedAt: date(row.queuedAt),
    sentAt: date(row.sentAt),
    cancelledAt: date(row.cancelledAt),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/** The broadcast, if it exists and its audience lies within the scope. */
export function findBroadcast(sql: Database.Database, id: number, scope: StaffScope): Broadcast | null {
  const row = Number.isSafeInteger(id) ? sql.prepare<[number], Row>(`SELECT ${COLUMNS} FROM Broadcast WHERE id = ?`).get(id) : undefined;
  if (!row) return null;
  const broadcast = fromRow(row);
  return audienceInScope(broadcast.audience, scope) ? broadcast : null;
}

export const notFound = (id: number): BroadcastRefusal => ({ ok: false, error: "not_found", message: `No broadcast ${id} that you may see.` });

/**
 * The broadcasts whose audience lies within the scope, newest first. For staff, those naming only
 * their communes (json_each over the stored audience); an admin sees all.
 */
export function listBroadcasts(sql: Database.Database, scope: StaffScope, options: { status?: BroadcastStatus; limit?: number } = {}): Broadcast[] {
  const within =
    scope.communeIds === "all"
      ? "1 = 1"
      : `json_array_length(audience, '$.communeIds') > 0
         AND NOT EXISTS (SELECT 1 FROM json_each(audience, '$.communeIds') j WHERE NOT (${scopeCondition(scope, "j.value")}))`;
  return sql
    .prepare<{ status: string | null; limit: number }, Row>(
      `SELECT ${COLUMNS} FROM Broadcast WHERE ${within} AND (@status IS NULL OR status = @status) ORDER BY createdAt DESC, id DESC LIMIT @limit`,
    )
    .all({ status: options.status ?? null, limit: options.limit ?? 100 })
    .map(fromRow);
}
