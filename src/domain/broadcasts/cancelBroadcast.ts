import type { Sql } from "../../db/sql/sql.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { auditWriter } from "../audit.ts";
import type { StaffScope } from "../staffScope.ts";
import { findBroadcast, notFound, type BroadcastRefusal } from "./broadcastRecord.ts";
import { deliveryCounts } from "./broadcastProgress.ts";

export interface CancelResult {
  ok: true;
  /** Messages that will not go out now. */
  cancelled: number;
  /** Already out (pushed, or shown on USSD): they stay so. */
  alreadySent: number;
  /** Claimed by a sender at this moment: they may still arrive. */
  inFlight: number;
}

/**
 * Cancels a broadcast, audited: its pending messages become cancelled, those already sent stay
 * sent. A broadcast marked sent can still be cancelled while USSD messages wait for their dial.
 */
export async function cancelBroadcast(sql: Sql, input: { id: number; by: string; scope: StaffScope; now?: Date }): Promise<CancelResult | BroadcastRefusal> {
  const by = input.by.trim();
  if (!by) return { ok: false, error: "invalid", message: "Say who cancels the broadcast (username)." };
  const now = input.now ?? new Date();
  const at = sqlTimestamp(now);
  return sql.transaction(async (): Promise<CancelResult | BroadcastRefusal> => {
    const broadcast = await findBroadcast(sql, input.id, input.scope);
    if (!broadcast) return notFound(input.id);
    const before = await deliveryCounts(sql, broadcast.id);
    if (broadcast.status === "cancelled" || (broadcast.status === "sent" && before.pending === 0)) {
      return { ok: false, error: "wrong_status", message: `Broadcast ${broadcast.id} is ${broadcast.status}: nothing is left to cancel.` };
    }
    const cancelled = (
      await sql.run(`UPDATE OutboxMessage SET status = 'cancelled', lastError = 'broadcast cancelled', updatedAt = ? WHERE broadcastId = ? AND status = 'pending'`, [
        at,
        broadcast.id,
      ])
    ).changes;
    await sql.run(`UPDATE Broadcast SET status = 'cancelled', cancelledAt = ?, updatedAt = ? WHERE id = ?`, [at, at, broadcast.id]);
    // Counted after the cancel, not before: on PostgreSQL senders of other connections (and
    // instances) go on claiming and recording meanwhile, so earlier counts would be stale. What is
    // not cancelled now is either out already or claimed by a sender this moment.
    const after = await deliveryCounts(sql, broadcast.id);
    const result: CancelResult = { ok: true, cancelled, alreadySent: after.sent + after.delivered, inFlight: after.pending };
    await auditWriter(sql)({
      actorKind: "staff",
      actorId: by,
      action: "broadcast.cancelled",
      entity: "Broadcast",
      entityId: broadcast.id,
      before: { status: broadcast.status },
      after: { status: "cancelled", cancelled, alreadySent: result.alreadySent, inFlight: result.inFlight },
      at: now,
    });
    return result;
  });
}
