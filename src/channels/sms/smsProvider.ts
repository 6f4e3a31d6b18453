/** One SMS the outbox (or an inbound answer) hands to a provider. */
export interface SmsMessage {
  /** Our id for it (the OutboxMessage id): eSMS keeps it as RequestId and refuses it a second time. */
  requestId: string;
  /** E.164, e.g. +84912345678. */
  to: string;
  text: string;
}

/** What the provider said when it took the message. */
export interface SmsAccepted {
  /** The provider's id, which its delivery reports name (null when it did not give one). */
  providerId: string | null;
  /** The provider already had this RequestId (a resend after a crash): nothing new was sent. */
  alreadySent: boolean;
}

/**
 * An SMS provider as the service uses it: one call that sends. A refusal or failure is thrown as a
 * PlatformError (channel "sms"), classified so ChannelSender retries what can be retried.
 */
export interface SmsProvider {
  readonly name: SmsProviderName;
  send(message: SmsMessage): Promise<SmsAccepted>;
}

type SmsProviderName = "africastalking" | "esms";
