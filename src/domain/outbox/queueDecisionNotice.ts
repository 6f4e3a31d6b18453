import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { DecidedMethodChange } from "../methodChanges/decideMethodChange.ts";
import { SMS_WANTED } from "./recipients.ts";

/**
 * Queues "your request was approved / not approved" to the person who made the request, on the
 * channel they made it on (every reachable identity of theirs there; on USSD it waits for their
 * next dial, and by SMS when SMS reaches them). Worded when sent, in their language, from the request as it is then. Queuing twice
 * changes nothing (the dedupe key names the decision, the request and the identity). Meant for
 * decideMethodChange's onDecided hook, inside the decision's transaction. Returns how many were queued.
 */
export async function queueDecisionNotice(sql: Sql, decided: DecidedMethodChange, now: Date): Promise<number> {
  const kind = `method_change_${decided.status}`;
  const requester = decided.requestedByKind === "guardian" ? "ci.guardianId" : "ci.beneficiaryId";
  const at = sqlTimestamp(now);
  // The key's fixed part is built here: PostgreSQL types each parameter once, and the request id is also an integer column.
  const keyPrefix = `${kind}:request:${decided.id}:identity:`;
  const result = await sql.run(
    `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, beneficiaryId, methodChangeId, kind, locale, dueAt, status, createdAt, updatedAt)
     SELECT @keyPrefix || ci.id, ci.channel, ci.externalId, ci.id, @beneficiaryId, @requestId, @kind,
            ci.locale, @at, 'pending', @at, @at
     FROM ChannelIdentity ci WHERE ${requester} = @requesterId AND ci.unreachable = FALSE
       AND (ci.channel = @channel OR (@channel = 'ussd' AND ci.channel = 'sms' AND ${SMS_WANTED}))
     ON CONFLICT(dedupeKey) DO NOTHING`,
    { keyPrefix, kind, requestId: decided.id, beneficiaryId: decided.beneficiaryId, requesterId: decided.requestedById, channel: decided.channel, at },
  );
  return result.changes;
}
