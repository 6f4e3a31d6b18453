import type { Sql } from "../../db/sql/sql.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { auditWriter } from "../audit.ts";
import type { StaffScope } from "../staffScope.ts";
import { findBroadcast, notFound, type BroadcastRefusal, type BroadcastStatus } from "./broadcastRecord.ts";

interface DeliveryCounts {
  /** Pushed to Telegram or Zalo. */
  sent: number;
  /** Shown to a USSD caller at their dial. */
  delivered: number;
  failed: number;
  /** Not yet out (claimed for sending included). */
  pending: number;
  cancelled: number;
}

export interface BroadcastProgress extends DeliveryCounts {
  id: number;
  status: BroadcastStatus;
  total: number;
  /** Of `pending`: USSD messages waiting for the person to dial. They do not hold the broadcast from being sent. */
  awaitingDial: number;
  byChannel: Record<string, DeliveryCounts>;
}

const empty = (): DeliveryCounts => ({ sent: 0, delivered: 0, failed: 0, pending: 0, cancelled: 0 });

/** Where each outbox status is counted. */
const BUCKET: Record<string, keyof DeliveryCounts> = { pending: "pending", sending: "pending", sent: "sent", delivered: "delivered", failed: "failed", cancelled: "cancelled" };

/** USSD cannot push: its messages wait for a dial that may come next week. */
const PULL_CHANNELS = new Set(["ussd"]);

/** Counts of the outbox rows of a broadcast, by status and channel. */
export async function deliveryCounts(sql: Sql, broadcastId: number): Promise<Omit<BroadcastProgress, "id" | "status">> {
  const rows = await sql.all<{ channel: string; status: string; n: number }>(
    `SELECT channel, status, COUNT(*) AS n FROM OutboxMessage WHERE broadcastId = ? GROUP BY channel, status`,
    [broadcastId],
  );
  const counts = { ...empty(), total: 0, awaitingDial: 0, byChannel: {} as Record<string, DeliveryCounts> };
  for (const row of rows) {
    const bucket = BUCKET[row.status] ?? "pending";
    counts[bucket] += row.n;
    counts.total += row.n;
    (counts.byChannel[row.channel] ??= empty())[bucket] += row.n;
    if (bucket === "pending" && PULL_CHANNELS.has(row.channel)) counts.awaitingDial += row.n;
  }
  return counts;
}

/**
 * How far a broadcast has gone: sent, delivered (USSD shown), failed, pending, cancelled, overall
 * and per channel. A broadcast fully queued, due, with nothing left to push is marked sent (USSD
 * messages still wait for their dial and stay counted as pending and awaitingDial).
 */
export async function broadcastProgress(sql: Sql, id: number, scope: StaffScope, now: Date = new Date()): Promise<{ ok: true; progress: BroadcastProgress } | BroadcastRefusal> {
  const broadcast = await findBroadcast(sql, id, scope);
  if (!broadcast) return notFound(id);
  const counts = await deliveryCounts(sql, id);
  const { byChannel: _byChannel, ...totals } = counts;
  let status = broadcast.status;
  const due = broadcast.scheduledAt !== null && broadcast.scheduledAt <= now;
  if ((status === "scheduled" || status === "sending") && broadcast.queuedAt && due) {
    const next = counts.pending - counts.awaitingDial === 0 ? "sent" : "sending";
    if (next !== status) {
      const at = sqlTimestamp(now);
      const sentAt = next === "sent" ? "COALESCE((SELECT MAX(sentAt) FROM OutboxMessage WHERE broadcastId = @id), @at)" : "sentAt";
      const changed = await sql.transaction(async () => {
        const done = (await sql.run(`UPDATE Broadcast SET status = @next, updatedAt = @at, sentAt = ${sentAt} WHERE id = @id AND status = @status`, { next, at, id, status }))
          .changes;
        if (done && next === "sent") {
          await auditWriter(sql)({ actorKind: "system", actorId: "outbox", action: "broadcast.sent", entity: "Broadcast", entityId: id, before: { status }, after: { status: next, ...totals }, at: now });
        }
        return done;
      });
      if (changed) status = next;
    }
  }
  return { ok: true, progress: { id, status, ...counts } };
}
