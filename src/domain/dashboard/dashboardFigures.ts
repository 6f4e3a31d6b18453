import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";
import { nextPeriod, parsePeriod } from "../../shared/dates.ts";
import { recipientsOfBeneficiaries } from "../outbox/recipients.ts";
import { inScope, scopeCondition, type StaffScope } from "../staffScope.ts";

export const DASHBOARD_CHANNELS = ["telegram", "zalo", "ussd"] as const;
export const PAYMENT_STATUSES = ["scheduled", "paid", "failed", "returned"] as const;
type ChannelCounts = Record<(typeof DASHBOARD_CHANNELS)[number], number> & { total: number };

export interface DashboardFigures {
  /** yyyy-mm, and its bounds (the month in Vietnam time). */
  period: string;
  from: Date;
  to: Date;
  /** The communes counted: one, the scope's, or all. */
  communeIds: number[] | "all";
  /** People (verified identities of the communes' beneficiaries and their guardians) who wrote to the bot or were sent a message in the period, per channel. */
  peopleReached: ChannelCounts;
  /** This period's payments by status: how many and how much (VND). */
  payments: Record<(typeof PAYMENT_STATUSES)[number] | "total", { count: number; amount: number }>;
  /** Payment-day reminders that went out in the period: pushed (sent) or shown at a USSD dial (delivered). */
  reminders: { sent: number; delivered: number; byChannel: ChannelCounts };
  /** Escalations not yet resolved, now: how many, how many nobody has claimed, and how long they have waited. */
  escalations: { open: number; unclaimed: number; oldestWaitingMs: number | null; medianWaitingMs: number | null };
  /** Method-change requests waiting for staff, now. */
  pendingMethodChanges: number;
}

export interface DashboardQuery {
  /** yyyy-mm (mm/yyyy accepted). */
  period: string;
  scope: StaffScope;
  /** One commune of the scope; all of them when absent. */
  communeId?: number;
  now?: Date;
}

const channels = (): ChannelCounts => ({ telegram: 0, zalo: 0, ussd: 0, total: 0 });
const isChannel = (c: string): c is (typeof DASHBOARD_CHANNELS)[number] => (DASHBOARD_CHANNELS as readonly string[]).includes(c);

/** The first instant of a period in Vietnam (UTC+7 all year). */
function periodStart(period: string): Date {
  return new Date(`${period}-01T00:00:00+07:00`);
}

/**
 * The figures of the staff dashboard for a period and a scope, one SQL statement each. A commune
 * outside the scope is "not_found". Escalations and pending requests are counted as they are now.
 */
export function dashboardFigures(sql: Database.Database, query: DashboardQuery): { ok: true; figures: DashboardFigures } | { ok: false; error: "invalid" | "not_found"; message: string } {
  const period = /^\d{4}-\d{1,2}$|^\d{1,2}\/\d{4}$/.test(query.period.trim()) ? parsePeriod(query.period) : null;
  if (!period) return { ok: false, error: "invalid", message: `"${query.period}" is not a period: write yyyy-mm, e.g. 2026-12.` };
  if (query.communeId !== undefined && !(Number.isSafeInteger(query.communeId) && inScope(query.scope, query.communeId))) {
    return { ok: false, error: "not_found", message: `No commune ${query.communeId} that you may see.` };
  }
  const scope: StaffScope = query.communeId !== undefined ? { communeIds: [query.communeId] } : query.scope;
  const inCommunes = scopeCondition(scope, "b.communeId");
  const now = query.now ?? new Date();
  const from = periodStart(period);
  const to = periodStart(nextPeriod(period));
  const bounds = { from: sqlTimestamp(from), to: sqlTimestamp(to), period };

  const reached = channels();
  const reachedRows = sql
    .prepare<typeof bounds, { channel: string; n: number }>(
      `SELECT ci.channel, COUNT(*) AS n FROM ChannelIdentity ci
       WHERE ci.id IN (SELECT identityId FROM ${recipientsOfBeneficiaries(inCommunes, "1 = 1")})
         AND (EXISTS (SELECT 1 FROM MessageLog m WHERE m.channel = ci.channel AND m.externalId = ci.externalId AND m.createdAt >= @from AND m.createdAt < @to)
           OR EXISTS (SELECT 1 FROM OutboxMessage o WHERE o.channel = ci.channel AND o.externalId = ci.externalId AND o.status IN ('sent', 'delivered')
                      AND o.sentAt >= @from AND o.sentAt < @to))
       GROUP BY ci.channel`,
    )
    .all(bounds);
  for (const row of reachedRows) add(reached, row.channel, row.n);

  const payments = Object.fromEntries([...PAYMENT_STATUSES, "total"].map((s) => [s, { count: 0, amount: 0 }])) as DashboardFigures["payments"];
  const paymentRows = sql
    .prepare<typeof bounds, { status: string; count: number; amount: number }>(
      `SELECT p.status, COUNT(*) AS count, COALESCE(SUM(p.amount), 0) AS amount
       FROM Payment p JOIN PaymentPeriod pp ON pp.id = p.periodId JOIN Beneficiary b ON b.id = p.beneficiaryId
       WHERE pp.period = @period AND ${inCommunes} GROUP BY p.status`,
    )
    .all(bounds);
  for (const row of paymentRows) {
    const bucket = payments[row.status as keyof typeof payments];
    if (bucket) {
      bucket.count += row.count;
      bucket.amount += row.amount;
    }
    payments.total.count += row.count;
    payments.total.amount += row.amount;
  }

  const reminders = { sent: 0, delivered: 0, byChannel: channels() };
  const reminderRows = sql
    .prepare<typeof bounds, { channel: string; status: "sent" | "delivered"; n: number }>(
      `SELECT o.channel, o.status, COUNT(*) AS n FROM OutboxMessage o JOIN Beneficiary b ON b.id = o.beneficiaryId
       WHERE o.kind IN ('reminder_before', 'reminder_day') AND o.status IN ('sent', 'delivered') AND o.sentAt >= @from AND o.sentAt < @to AND ${inCommunes}
       GROUP BY o.channel, o.status`,
    )
    .all(bounds);
  for (const row of reminderRows) {
    reminders[row.status] += row.n;
    add(reminders.byChannel, row.channel, row.n);
  }

  // Escalations from callers never identified belong to no commune: only the whole province sees them.
  const escalationScope = scope.communeIds === "all" ? "1 = 1" : `e.beneficiaryId IN (SELECT b.id FROM Beneficiary b WHERE ${inCommunes})`;
  const waiting = sql
    .prepare<[], { open: number; unclaimed: number; oldest: number | null; median: number | null }>(
      `WITH waiting AS (
         SELECT e.status, julianday(e.createdAt) AS opened, ROW_NUMBER() OVER (ORDER BY e.createdAt, e.id) AS rank, COUNT(*) OVER () AS n
         FROM Escalation e WHERE e.status IN ('open', 'claimed') AND ${escalationScope})
       SELECT COUNT(*) AS open, COALESCE(SUM(status = 'open'), 0) AS unclaimed, MIN(opened) AS oldest,
              AVG(CASE WHEN rank IN ((n + 1) / 2, (n + 2) / 2) THEN opened END) AS median
       FROM waiting`,
    )
    .get()!;
  const sinceJulian = (day: number | null) => (day === null ? null : Math.max(0, Math.round(now.getTime() - (day - 2440587.5) * 86_400_000)));

  const pendingMethodChanges = sql
    .prepare<[], number>(`SELECT COUNT(*) FROM MethodChangeRequest r JOIN Beneficiary b ON b.id = r.beneficiaryId WHERE r.status = 'pending' AND ${inCommunes}`)
    .pluck()
    .get()!;

  return {
    ok: true,
    figures: {
      period,
      from,
      to,
      communeIds: scope.communeIds,
      peopleReached: reached,
      payments,
      reminders,
      escalations: { open: waiting.open, unclaimed: waiting.unclaimed, oldestWaitingMs: sinceJulian(waiting.oldest), medianWaitingMs: sinceJulian(waiting.median) },
      pendingMethodChanges,
    },
  };
}

function add(counts: ChannelCounts, channel: string, n: number): void {
  if (isChannel(channel)) counts[channel] += n;
  counts.total += n;
}
