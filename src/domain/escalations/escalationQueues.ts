import type Database from "better-sqlite3";

export type EscalationStatus = "open" | "claimed" | "resolved";

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

/** A summary as SQLite gives it: timestamps as text, no waiting time yet. */
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
const IN_SCOPE = `(@communes IS NULL OR b.communeId IN (SELECT value FROM json_each(@communes)))`;
const PAGE = `LIMIT @limit OFFSET @offset`;

/** The operator inbox's lists, on prepared statements. */
export class EscalationQueues {
  private readonly unassignedStmt;
  private readonly mineStmt;
  private readonly activeStmt;
  private readonly resolvedStmt;
  private readonly changesStmt;
  private readonly countsStmt;
  private readonly latestStmt;
  private readonly oneStmt;
  private readonly earlierStmt;

  constructor(
    sql: Database.Database,
    private readonly clock: () => Date,
  ) {
    this.unassignedStmt = sql.prepare<Params, Row>(`${SELECT} WHERE e.status = 'open' AND ${IN_SCOPE} ORDER BY e.createdAt, e.id ${PAGE}`);
    this.mineStmt = sql.prepare<Params & { user: string }, Row>(
      `${SELECT} WHERE e.status = 'claimed' AND e.assignedTo = @user AND ${IN_SCOPE} ORDER BY e.lastActivityAt DESC, e.id DESC ${PAGE}`,
    );
    this.activeStmt = sql.prepare<Params, Row>(`${SELECT} WHERE e.status != 'resolved' AND ${IN_SCOPE} ORDER BY e.lastActivityAt DESC, e.id DESC ${PAGE}`);
    this.resolvedStmt = sql.prepare<Params, Row>(`${SELECT} WHERE e.status = 'resolved' AND ${IN_SCOPE} ORDER BY e.resolvedAt DESC, e.id DESC ${PAGE}`);
    this.changesStmt = sql.prepare<Params & { at: string; id: number }, Row>(
      `${SELECT} WHERE (e.lastActivityAt, e.id) > (@at, @id) AND ${IN_SCOPE} ORDER BY e.lastActivityAt, e.id ${PAGE}`,
    );
    this.countsStmt = sql.prepare<{ communes: string | null; user: string }, QueueCounts>(
      `SELECT COALESCE(SUM(e.status = 'open'), 0) AS unassigned,
              COALESCE(SUM(e.status = 'claimed' AND e.assignedTo = @user), 0) AS mine,
              COALESCE(SUM(e.status != 'resolved'), 0) AS "all",
              COALESCE(SUM(e.status = 'resolved'), 0) AS resolved
       FROM Escalation e LEFT JOIN Beneficiary b ON b.id = e.beneficiaryId WHERE ${IN_SCOPE}`,
    );
    this.latestStmt = sql.prepare<{ communes: string | null }, { lastActivityAt: string | null; id: number }>(
      `SELECT e.lastActivityAt, e.id FROM Escalation e LEFT JOIN Beneficiary b ON b.id = e.beneficiaryId
       WHERE ${IN_SCOPE} ORDER BY e.lastActivityAt DESC, e.id DESC LIMIT 1`,
    );
    this.oneStmt = sql.prepare<[number], Row>(`${SELECT} WHERE e.id = ?`);
    this.earlierStmt = sql.prepare<{ id: number; channel: string; externalId: string; beneficiaryId: number | null }, Row>(
      `${SELECT} WHERE e.id != @id AND ((e.channel = @channel AND e.externalId = @externalId) OR e.beneficiaryId = @beneficiaryId)
       ORDER BY e.createdAt DESC, e.id DESC LIMIT 20`,
    );
  }

  /** Open and claimed by nobody, the longest waiting first. */
  unassigned(options: QueueOptions = {}): EscalationSummary[] {
    return this.summaries(this.unassignedStmt.all(params(options)));
  }

  /** Claimed by `user` (and not resolved), the most recently active first. */
  mine(user: string, options: QueueOptions = {}): EscalationSummary[] {
    return this.summaries(this.mineStmt.all({ ...params(options), user }));
  }

  /** Every escalation not yet resolved (open or claimed by anyone), the most recently active first. */
  all(options: QueueOptions = {}): EscalationSummary[] {
    return this.summaries(this.activeStmt.all(params(options)));
  }

  /** Resolved, the most recently resolved first. */
  resolved(options: QueueOptions = {}): EscalationSummary[] {
    return this.summaries(this.resolvedStmt.all(params(options)));
  }

  one(id: number): EscalationSummary | undefined {
    const row = this.oneStmt.get(id);
    return row ? this.summary(row, this.clock()) : undefined;
  }

  /** Other escalations of the same channel user or about the same beneficiary, newest first. */
  earlier(of: EscalationSummary): EscalationSummary[] {
    return this.summaries(this.earlierStmt.all({ id: of.id, channel: of.channel, externalId: of.externalId, beneficiaryId: of.beneficiaryId }));
  }

  /**
   * Escalations created, changed or given a message after `cursor`, in the order of their last
   * activity: for a page that polls (several instances on one database do not share events).
   * Without a cursor, from the beginning. The cursor is opaque: pass back the one returned.
   */
  changesSince(cursor: string | null | undefined, options: Omit<QueueOptions, "offset"> = {}): EscalationChanges {
    const from = cursor ? parseCursor(cursor) : { at: "", id: 0 };
    const rows = this.changesStmt.all({ ...params({ ...options, offset: 0 }), ...from });
    const last = rows.at(-1);
    return { escalations: this.summaries(rows), cursor: last ? formatCursor(last.lastActivityAt ?? "", last.id) : cursor || formatCursor("", 0) };
  }

  /** The size of each queue, `mine` being `user`'s. */
  counts(user: string, options: Pick<QueueOptions, "communeIds"> = {}): QueueCounts {
    return this.countsStmt.get({ communes: params(options).communes, user })!;
  }

  /** The cursor of the latest change: a page that starts polling asks `changesSince` from here. */
  latestCursor(options: Pick<QueueOptions, "communeIds"> = {}): string {
    const last = this.latestStmt.get({ communes: params(options).communes });
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

type Params = { communes: string | null; limit: number; offset: number };

function params(options: QueueOptions): Params {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)));
  return { communes: options.communeIds ? JSON.stringify(options.communeIds) : null, limit, offset: Math.max(0, Math.floor(options.offset ?? 0)) };
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
