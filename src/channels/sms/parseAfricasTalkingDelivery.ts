import type { SmsDelivery } from "../../domain/outbox/smsDelivery.ts";

/**
 * Africa's Talking's delivery report (POST, form): id (the messageId of the send), status
 * Success | Sent | Buffered | Failed | Rejected, phoneNumber, failureReason. Null when the body is
 * not one (the caller answers 400).
 */
export function parseAfricasTalkingDelivery(body: Record<string, unknown>): SmsDelivery | null {
  const id = typeof body.id === "string" ? body.id.trim() : "";
  const status = typeof body.status === "string" ? body.status : "";
  if (!id || id.length > 100) return null;
  switch (status) {
    case "Success":
      return { providerId: id, requestId: null, outcome: "delivered", reason: null };
    case "Sent":
    case "Buffered":
      return { providerId: id, requestId: null, outcome: "sent", reason: null };
    case "Failed":
    case "Rejected":
      return { providerId: id, requestId: null, outcome: "failed", reason: `${status}: ${typeof body.failureReason === "string" && body.failureReason ? body.failureReason : "no reason given"}`.slice(0, 200) };
    default:
      return null;
  }
}
