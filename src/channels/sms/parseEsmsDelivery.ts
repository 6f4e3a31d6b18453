import type { SmsDelivery } from "../../domain/outbox/smsDelivery.ts";

/**
 * eSMS's delivery report (GET, query): SMSID, SendStatus, RequestId, phonenumber. SendStatus 5:
 * delivered to the phone; 4: refused (by the carrier or for the template); 1 to 3: still waiting
 * or on its way; 6 and above: failed. Null when the query is not a report (the caller answers 400).
 */
export function parseEsmsDelivery(query: Record<string, unknown>): SmsDelivery | null {
  const providerId = typeof query.SMSID === "string" ? query.SMSID.trim() : "";
  const requestId = typeof query.RequestId === "string" && query.RequestId.trim() ? query.RequestId.trim() : null;
  const status = typeof query.SendStatus === "string" && /^\d{1,2}$/.test(query.SendStatus) ? Number(query.SendStatus) : NaN;
  if ((!providerId && !requestId) || providerId.length > 100 || Number.isNaN(status)) return null;
  const ids = { providerId: providerId || null, requestId };
  if (status === 5) return { ...ids, outcome: "delivered", reason: null };
  if (status === 4) return { ...ids, outcome: "failed", reason: "SendStatus 4: refused" };
  if (status >= 6) return { ...ids, outcome: "failed", reason: `SendStatus ${status}` };
  return { ...ids, outcome: "sent", reason: null };
}
