import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { nextPeriod, parsePeriod } from "../../shared/dates.ts";
import { recipientsOfBeneficiaries } from "../outbox/recipients.ts";
import { inScope, scopeCondition, type StaffScope } from "../staffScope.ts";
import type { CallOutcome } from "../voiceCalls/voiceCallRecords.ts";

export const DASHBOARD_CHANNELS = ["telegram", "zalo", "ussd"] as const;
export const PAYMENT_STATUSES = ["scheduled", "paid", "failed", "returned"] as const;
/** Conversations happen on these: the messages figure names each. */
export const MESSAGE_CHANNELS = [...DASHBOARD_CHANNELS, "sms", "voice"] as const;
type ChannelCounts = Record<(typeof DASHBOARD_CHANNELS)[number], number> & { total: number };
type MessageCounts = Record<(typeof MESSAGE_CHANNELS)[number], number> & { total: number };

export interface DashboardFigures {
  /** yyyy-mm, and its bounds (the month in Vietnam time). */
  period: string;
  from: Date;
  to: Date;
  /** The communes counted: one, the scope's, or all. */
  communeIds: number[] | "all";
  /** People (verified identities of the communes' beneficiaries and their guardians) who wrote to the bot or were sent a message in the period, per channel. */
  peopleReached: ChannelCounts;
  /**
   * Lines of conversation in the period (what people wrote and what the bot answered: MessageLog),
   * per channel. The retention job deletes lines older than RETENTION_DAYS after counting them per
   * day and channel (RetentionCount), without commune. So for the whole province, the figure is
   * the lines kept (callers never identified too) plus those counts, and stays the same when old
   * lines go (`deleted` of them); for communes, it is the kept lines of their people only, and
   * `deletedNotCounted` says that lines of the period were deleted and are not in it.
   */
  messages: { byChannel: MessageCounts; deleted: number; deletedNotCounted: boolean };
  /** This period's payments by status: how many and how much (VND). */
  payments: Record<(typeof PAYMENT_STATUSES)[number] | "total", { count: number; amount: number }>;
  /** Payment-day reminders that went out in the period: pushed (sent) or shown at a USSD dial (delivered). */
  reminders: { sent: number; delivered: number; byChannel: ChannelCounts };
  /** Reminder calls placed in the period (people who prefer calls), by how they ended; pending: not reported yet. */
  voiceCalls: Record<CallOutcome | "pending", number>;
  /** Escalations not yet resolved, now: how many, how many nobody has claimed, and how long they have waited. */
  escalations: { open: number; unclaimed: number; oldestWaitingMs: number | null; medianWaitingMs: number | null };
  /** Method-change requests waiting for staff, now. */
  pendingMethodChanges: number;
  /** SMS the provider took in the period (any kind), and what their delivery reports said: delivered, failed (so far). */
  sms: { sent: number; delivered: number; failed: number };
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
export async function dashboardFigures(
  sql: Sql,
  query: DashboardQuery,
): Promise<{ ok: true; figures: DashboardFigures } | { ok: false; error: "invalid" | "not_found"; message: string }> {
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
  const bounds = { from: sqlTimestamp(from), to: sqlTimestamp(to) };

  const reached = channels();
  const reachedRows = await sql.all<{ channel: string; n: number }>(
    `SELECT ci.channel, COUNT(*) AS n FROM ChannelIdentity ci
       WHERE ci.id IN (SELECT identityId FROM ${recipientsOfBeneficiaries(inCommunes, "1 = 1")} AS recipients)
         AND (EXISTS (SELECT 1 FROM MessageLog m WHERE m.channel = ci.channel AND m.externalId = ci.externalId AND m.createdAt >= @from AND m.createdAt < @to)
           OR EXISTS (SELECT 1 FROM OutboxMessage o WHERE o.channel = ci.channel AND o.externalId = ci.externalId AND o.status IN ('sent', 'delivered')
                      AND o.sentAt >= @from AND o.sentAt < @to))
       GROUP BY ci.channel`,
    bounds,
  );
  for (const row of reachedRows) add(reached, row.channel, row.n);

  const messages = await messageFigures(sql, scope, period, bounds);

  const payments = Object.fromEntries([...PAYMENT_STATUSES, "total"].map((s) => [s, { count: 0, amount: 0 }])) as DashboardFigures["payments"];
  const paymentRows = await sql.all<{ status: string; count: number; amount: number }>(
    `SELECT p.status, COUNT(*) AS count, COALESCE(SUM(p.amount), 0) AS amount
       FROM Payment p JOIN PaymentPeriod pp ON pp.id = p.periodId JOIN Beneficiary b ON b.id = p.beneficiaryId
       WHERE pp.period = @period AND ${inCommunes} GROUP BY p.status`,
    { period },
  );
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
  const reminderRows = await sql.all<{ channel: string; status: "sent" | "delivered"; n: number }>(
    `SELECT o.channel, o.status, COUNT(*) AS n FROM OutboxMessage o JOIN Beneficiary b ON b.id = o.beneficiaryId
       WHERE o.kind IN ('reminder_before', 'reminder_day') AND o.status IN ('sent', 'delivered') AND o.sentAt >= @from AND o.sentAt < @to AND ${inCommunes}
       GROUP BY o.channel, o.status`,
    bounds,
  );
  for (const row of reminderRows) {
    reminders[row.status] += row.n;
    add(reminders.byChannel, row.channel, row.n);
  }

  const voiceCalls = { answered: 0, no_answer: 0, busy: 0, failed: 0, pending: 0 };
  const callRows = await sql.all<{ outcome: string | null; n: number }>(
    `SELECT c.outcome, COUNT(*) AS n FROM VoiceCall c JOIN OutboxMessage o ON o.id = c.outboxMessageId JOIN Beneficiary b ON b.id = o.beneficiaryId
       WHERE c.createdAt >= @from AND c.createdAt < @to AND ${inCommunes} GROUP BY c.outcome`,
    bounds,
  );
  for (const row of callRows) voiceCalls[(row.outcome ?? "pending") as keyof typeof voiceCalls] += Number(row.n);

  // Escalations from callers never identified belong to no commune: only the whole province sees them.
  const escalationScope = scope.communeIds === "all" ? "1 = 1" : `e.beneficiaryId IN (SELECT b.id FROM Beneficiary b WHERE ${inCommunes})`;
  // The waits are computed here from the opening times (a handful of rows), not with SQLite's
  // julianday(), which PostgreSQL does not have.
  const waitingRows = await sql.all<{ status: string; createdAt: string }>(
    `SELECT e.status, e.createdAt FROM Escalation e WHERE e.status IN ('open', 'claimed') AND ${escalationScope} ORDER BY e.createdAt, e.id`,
  );
  const waiting = waitingFigures(waitingRows, now);

  const smsRow = await sql.get<{ sent: number; delivered: number; failed: number }>(
    `SELECT COUNT(*) AS sent, SUM(CASE WHEN o.deliveryStatus = 'delivered' THEN 1 ELSE 0 END) AS delivered,
            SUM(CASE WHEN o.deliveryStatus = 'failed' THEN 1 ELSE 0 END) AS failed
       FROM OutboxMessage o JOIN Beneficiary b ON b.id = o.beneficiaryId
       WHERE o.channel = 'sms' AND o.sentAt >= @from AND o.sentAt < @to AND ${inCommunes}`,
    bounds,
  );
  const sms = { sent: smsRow?.sent ?? 0, delivered: smsRow?.delivered ?? 0, failed: smsRow?.failed ?? 0 };

  const pendingMethodChanges = (await sql.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM MethodChangeRequest r JOIN Beneficiary b ON b.id = r.beneficiaryId WHERE r.status = 'pending' AND ${inCommunes}`,
  ))!.n;

  return {
    ok: true,
    figures: {
      period,
      from,
      to,
      communeIds: scope.communeIds,
      peopleReached: reached,
      messages,
      payments,
      reminders,
      voiceCalls,
      escalations: waiting,
      pendingMethodChanges,
      sms,
    },
  };
}

/**
 * The lines of conversation of a period (see DashboardFigures.messages). The deleted lines are
 * found by their day in Vietnam (applyRetention counts them so), the kept ones by the period's
 * bounds: the same lines either way.
 */
async function messageFigures(sql: Sql, scope: StaffScope, period: string, bounds: { from: string; to: string }): Promise<DashboardFigures["messages"]> {
  const byChannel: MessageCounts = { telegram: 0, zalo: 0, ussd: 0, sms: 0, voice: 0, total: 0 };
  const count = (rows: { channel: string; n: number }[]) => {
    for (const row of rows) {
      if ((MESSAGE_CHANNELS as readonly string[]).includes(row.channel)) byChannel[row.channel as keyof MessageCounts] += row.n;
      byChannel.total += row.n;
    }
  };
  const province = scope.communeIds === "all";
  // For communes: the lines of the identities of their beneficiaries and of their guardians (every
  // channel, not only those messages go to), found through MessageLog's (channel, externalId, createdAt) index.
  const inCommunes = scopeCondition(scope, "b.communeId");
  const kept = province
    ? `SELECT m.channel, COUNT(*) AS n FROM MessageLog m WHERE m.createdAt >= @from AND m.createdAt < @to GROUP BY m.channel`
    : `SELECT m.channel, COUNT(*) AS n FROM ChannelIdentity ci
         JOIN MessageLog m ON m.channel = ci.channel AND m.externalId = ci.externalId AND m.createdAt >= @from AND m.createdAt < @to
         WHERE ci.beneficiaryId IN (SELECT b.id FROM Beneficiary b WHERE ${inCommunes})
            OR ci.guardianId IN (SELECT gl.guardianId FROM GuardianLink gl JOIN Beneficiary b ON b.id = gl.beneficiaryId WHERE ${inCommunes})
         GROUP BY m.channel`;
  count(await sql.all<{ channel: string; n: number }>(kept, bounds));
  const deletedRows = await sql.all<{ channel: string; n: number }>(
    `SELECT channel, SUM(count) AS n FROM RetentionCount WHERE tableName = 'MessageLog' AND day >= @first AND day < @next GROUP BY channel`,
    { first: `${period}-01`, next: `${nextPeriod(period)}-01` },
  );
  const deleted = deletedRows.reduce((sum, row) => sum + row.n, 0);
  if (province) count(deletedRows);
  return { byChannel, deleted: province ? deleted : 0, deletedNotCounted: !province && deleted > 0 };
}

/** How many escalations wait, how many unclaimed, and the oldest and median wait (rows oldest first). */
function waitingFigures(rows: { status: string; createdAt: string }[], now: Date): DashboardFigures["escalations"] {
  const since = (openedMs: number) => Math.max(0, Math.round(now.getTime() - openedMs));
  const opened = rows.map((r) => new Date(r.createdAt).getTime());
  const n = opened.length;
  // The middle one, or the mean of the two middle ones: as the SQL's (n + 1) / 2 and (n + 2) / 2 ranks did.
  const median = n === 0 ? null : (opened[Math.floor((n + 1) / 2) - 1] + opened[Math.floor((n + 2) / 2) - 1]) / 2;
  return {
    open: n,
    unclaimed: rows.filter((r) => r.status === "open").length,
    oldestWaitingMs: n === 0 ? null : since(opened[0]),
    medianWaitingMs: median === null ? null : since(median),
  };
}

function add(counts: ChannelCounts, channel: string, n: number): void {
  if (isChannel(channel)) counts[channel] += n;
  counts.total += n;
}
