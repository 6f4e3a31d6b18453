import type { Sql } from "../../db/sql/sql.ts";
import { scopeCondition } from "../staffScope.ts";

type EscalationStatus = "open" | "claimed" | "resolved";

/** An escalation as a queue lists it: no transcript, no personal numbers. */
export interface EscalationSummary {
  id: number;
  /** human | scam */
  topic: string;
  status: EscalationStatus;
  channel: string;
  /** The person on the channel: the phone (E.164) on USSD, which an operator calls back; a chat id on Telegram and Zalo. */
  externalId: string;
  beneficiaryId: number | null;
  personName: string | null;
  communeId: number | null;
  communeName: string | null;
  details: string | null;
  /** The operator who claimed it. */
  assignedTo: string | null;
  createdAt: Date;
  claimedAt: Date | null;
  /** Set while the bot, not the operator, answers the person. */
  handedBackAt: Date | null;
  resolvedAt: Date | null;
  resolution: string | null;
  lastActivityAt: Date;
  /** How long the person waited for an operator: until the claim (or resolution), or until now. */
  waitingSeconds: number;
}

export interface QueueOptions {
  limit?: number;
  offset?: number;
  /** Only escalations of people of these communes (a commune staff member's scope); all when absent. */
  communeIds?: number[];
}

/** How many escalations each queue holds (for its tab), in the same scope as the queues. */
export interface QueueCounts {
  unassigned: number;
  mine: number;
  all: number;
  resolved: number;
}

/** What changed since a cursor `changesSince` gave, oldest change first, and the cursor to ask from next. */
export interface EscalationChanges {
  escalations: EscalationSummary[];
  cursor: string;
}

/** A summary as the database gives it: timestamps as text, no waiting time yet. */
type Row = Omit<EscalationSummary, "createdAt" | "claimedAt" | "handedBackAt" | "resolvedAt" | "lastActivityAt" | "waitingSeconds"> & {
  createdAt: string;
  claimedAt: string | null;
  handedBackAt: string | null;
  resolvedAt: string | null;
  lastActivityAt: string | null;
};

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

const SELECT = `SELECT e.id, e.topic, e.status, e.channel, e.externalId, e.beneficiaryId, b.fullName AS personName, b.communeId,
    c.name AS communeName, e.details, e.assignedTo, e.createdAt, e.claimedAt, e.handedBackAt, e.resolvedAt, e.resolution, e.lastActivityAt
  FROM Escalation e LEFT JOIN Beneficiary b ON b.id = e.beneficiaryId LEFT JOIN Commune c ON c.id = b.communeId`;
const PAGE = `LIMIT @limit OFFSET @offset`;
// NULLS LAST: an escalation without activity sorts after the others on both databases (PostgreSQL
// would put it first in a descending order).
const UNASSIGNED = (scope: string) => `${SELECT} WHERE e.status = 'open' AND ${scope} ORDER BY e.createdAt, e.id ${PAGE}`;
const MINE = (scope: string) =>
  `${SELECT} WHERE e.status = 'claimed' AND e.assignedTo = @user AND ${scope} ORDER BY e.lastActivityAt DESC NULLS LAST, e.id DESC ${PAGE}`;
const ACTIVE = (scope: string) => `${SELECT} WHERE e.status != 'resolved' AND ${scope} ORDER BY e.lastActivityAt DESC NULLS LAST, e.id DESC ${PAGE}`;
const RESOLVED = (scope: string) => `${SELECT} WHERE e.status = 'resolved' AND ${scope} ORDER BY e.resolvedAt DESC NULLS LAST, e.id DESC ${PAGE}`;
const CHANGES = (scope: string) => `${SELECT} WHERE (e.lastActivityAt, e.id) > (@at, @id) AND ${scope} ORDER BY e.lastActivityAt, e.id ${PAGE}`;
const COUNTS = (scope: string) => `SELECT COALESCE(SUM(CASE WHEN e.status = 'open' THEN 1 ELSE 0 END), 0) AS unassigned,
    COALESCE(SUM(CASE WHEN e.status = 'claimed' AND e.assignedTo = @user THEN 1 ELSE 0 END), 0) AS mine,
    COALESCE(SUM(CASE WHEN e.status != 'resolved' THEN 1 ELSE 0 END), 0) AS "all",
    COALESCE(SUM(CASE WHEN e.status = 'resolved' THEN 1 ELSE 0 END), 0) AS resolved
  FROM Escalation e LEFT JOIN Beneficiary b ON b.id = e.beneficiaryId WHERE ${scope}`;
const LATEST = (scope: string) => `SELECT e.lastActivityAt, e.id FROM Escalation e LEFT JOIN Beneficiary b ON b.id = e.beneficiaryId
  WHERE e.lastActivityAt IS NOT NULL AND ${scope} ORDER BY e.lastActivityAt DESC, e.id DESC LIMIT 1`;
const ONE = `${SELECT} WHERE e.id = ?`;
const EARLIER = `${SELECT} WHERE e.id != @id AND ((e.channel = @channel AND e.externalId = @externalId) OR e.beneficiaryId = @beneficiaryId)
  ORDER BY e.createdAt DESC, e.id DESC LIMIT 20`;

/** Before any stored activity: where `changesSince` starts without a cursor (a timestamp both databases read). */
const BEGINNING = "1970-01-01T00:00:00.000Z";

/** The operator inbox's lists. */
export class EscalationQueues {
  constructor(
    private readonly sql: Sql,
    private readonly clock: () => Date,
  ) {}

  /** Open and claimed by nobody, the longest waiting first. */
  async unassigned(options: QueueOptions = {}): Promise<EscalationSummary[]> {
    return this.summaries(await this.sql.all<Row>(UNASSIGNED(inScope(options)), page(options)));
  }

  /** Claimed by `user` (and not resolved), the most recently active first. */
  async mine(user: string, options: QueueOptions = {}): Promise<EscalationSummary[]> {
    return this.summaries(await this.sql.all<Row>(MINE(inScope(options)), { ...page(options), user }));
  }

  /** Every escalation not yet resolved (open or claimed by anyone), the most recently active first. */
  async all(options: QueueOptions = {}): Promise<EscalationSummary[]> {
    return this.summaries(await this.sql.all<Row>(ACTIVE(inScope(options)), page(options)));
  }

  /** Resolved, the most recently resolved first. */
  async resolved(options: QueueOptions = {}): Promise<EscalationSummary[]> {
    return this.summaries(await this.sql.all<Row>(RESOLVED(inScope(options)), page(options)));
  }

  async one(id: number): Promise<EscalationSummary | undefined> {
    const row = await this.sql.get<Row>(ONE, [id]);
    return row ? this.summary(row, this.clock()) : undefined;
  }

  /** Other escalations of the same channel user or about the same beneficiary, newest first. */
  async earlier(of: EscalationSummary): Promise<EscalationSummary[]> {
    return this.summaries(await this.sql.all<Row>(EARLIER, { id: of.id, channel: of.channel, externalId: of.externalId, beneficiaryId: of.beneficiaryId }));
  }

  /**
   * Escalations created, changed or given a message after `cursor`, in the order of their last
   * activity: for a page that polls, and for the relay that tells this instance's pages of changes
   * another instance made (several instances on one database do not share events). Without a
   * cursor, from the beginning. The cursor is opaque: pass back the one returned. No change is
   * missed because activity times only grow, in the order the changes commit (see EscalationActivity).
   */
  async changesSince(cursor: string | null | undefined, options: Omit<QueueOptions, "offset"> = {}): Promise<EscalationChanges> {
    const from = cursor ? parseCursor(cursor) : { at: "", id: 0 };
    const rows = await this.sql.all<Row>(CHANGES(inScope(options)), { ...page({ ...options, offset: 0 }), at: from.at || BEGINNING, id: from.id });
    const last = rows.at(-1);
    return { escalations: this.summaries(rows), cursor: last ? formatCursor(last.lastActivityAt ?? "", last.id) : cursor || formatCursor("", 0) };
  }

  /** The size of each queue, `mine` being `user`'s. */
  async counts(user: string, options: Pick<QueueOptions, "communeIds"> = {}): Promise<QueueCounts> {
    return (await this.sql.get<QueueCounts>(COUNTS(inScope(options)), { user }))!;
  }

  /** The cursor of the latest change: a page that starts polling asks `changesSince` from here. */
  async latestCursor(options: Pick<QueueOptions, "communeIds"> = {}): Promise<string> {
    const last = await this.sql.get<{ lastActivityAt: string | null; id: number }>(LATEST(inScope(options)));
    return formatCursor(last?.lastActivityAt ?? "", last?.id ?? 0);
  }

  private summaries(rows: Row[]): EscalationSummary[] {
    const now = this.clock();
    return rows.map((row) => this.summary(row, now));
  }

  private summary(row: Row, now: Date): EscalationSummary {
    const createdAt = new Date(row.createdAt);
    const date = (value: string | null) => (value === null ? null : new Date(value));
    const claimedAt = date(row.claimedAt);
    const resolvedAt = date(row.resolvedAt);
    const waitedUntil = claimedAt ?? resolvedAt ?? now;
    return {
      ...row,
      createdAt,
      claimedAt,
      handedBackAt: date(row.handedBackAt),
      resolvedAt,
      lastActivityAt: new Date(row.lastActivityAt ?? row.createdAt),
      waitingSeconds: Math.max(0, Math.round((waitedUntil.getTime() - createdAt.getTime()) / 1000)),
    };
  }
}

/**
 * The condition that keeps a commune staff member's queues to their communes: the ids written into
 * the statement (checked to be whole numbers), one statement text per scope, portable to both databases.
 */
function inScope(options: Pick<QueueOptions, "communeIds">): string {
  return scopeCondition({ communeIds: options.communeIds ?? "all" }, "b.communeId");
}

function page(options: QueueOptions): { limit: number; offset: number } {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)));
  return { limit, offset: Math.max(0, Math.floor(options.offset ?? 0)) };
}

function formatCursor(at: string, id: number): string {
  return Buffer.from(JSON.stringify([at, id])).toString("base64url");
}

/** A cursor `changesSince` did not give: the caller's mistake (a 400), not the database's. */
export class CursorError extends Error {}

function parseCursor(cursor: string): { at: string; id: number } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at === "string" && Number.isInteger(id)) return { at, id: id as number };
  } catch {
    // reported below
  }
  throw new CursorError(`"${cursor.slice(0, 60)}" is not a cursor changesSince gave: pass back the cursor of its last answer, or none to start over`);
}
