import type { Sql } from "../../db/sql/sql.ts";
import type { StaffScope } from "../staffScope.ts";
import { audienceInScope, type Audience } from "./audience.ts";

export type BroadcastStatus = "draft" | "scheduled" | "sending" | "sent" | "cancelled";

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
export async function findBroadcast(sql: Sql, id: number, scope: StaffScope): Promise<Broadcast | null> {
  const row = Number.isSafeInteger(id) ? await sql.get<Row>(`SELECT ${COLUMNS} FROM Broadcast WHERE id = ?`, [id]) : undefined;
  if (!row) return null;
  const broadcast = fromRow(row);
  return audienceInScope(broadcast.audience, scope) ? broadcast : null;
}

export const notFound = (id: number): BroadcastRefusal => ({ ok: false, error: "not_found", message: `No broadcast ${id} that you may see.` });

/** Broadcasts read per statement while looking for those within a scope. */
const LIST_PAGE = 200;

/**
 * The broadcasts whose audience lies within the scope, newest first. For staff, those naming only
 * their communes; an admin sees all. The scope is checked here on the stored audience (JSON), not
 * in SQL, where it would take SQLite's json_each or PostgreSQL's json functions: broadcasts are
 * written by hand, a few a week, so reading them a page at a time costs little.
 */
export async function listBroadcasts(sql: Sql, scope: StaffScope, options: { status?: BroadcastStatus; limit?: number } = {}): Promise<Broadcast[]> {
  const limit = options.limit ?? 100;
  const status = options.status === undefined ? "" : "AND status = @status";
  const page = `SELECT ${COLUMNS} FROM Broadcast WHERE 1 = 1 ${status} ORDER BY createdAt DESC, id DESC LIMIT @page OFFSET @offset`;
  // An admin sees every broadcast: one page of `limit` rows is the answer.
  const size = scope.communeIds === "all" ? limit : LIST_PAGE;
  const found: Broadcast[] = [];
  for (let offset = 0; found.length < limit; offset += size) {
    const rows = await sql.all<Row>(page, { ...(options.status === undefined ? {} : { status: options.status }), page: size, offset });
    for (const row of rows) {
      const broadcast = fromRow(row);
      if (audienceInScope(broadcast.audience, scope) && found.length < limit) found.push(broadcast);
    }
    if (rows.length < size) break;
  }
  return found;
}
