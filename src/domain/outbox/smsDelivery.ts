/** A provider's delivery report, in the shape the outbox records it. */
export interface SmsDelivery {
  /** The provider's id of the message (AT messageId, eSMS SMSID). */
  providerId: string | null;
  /** Our id, when the provider echoes it (eSMS RequestId). */
  requestId: string | null;
  /** sent: on its way (the carrier has it); delivered: on the phone; failed: it will not arrive. */
  outcome: "sent" | "delivered" | "failed";
  reason: string | null;
}
