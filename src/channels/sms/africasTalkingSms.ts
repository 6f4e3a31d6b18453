import { PlatformError } from "../../domain/outbox/platformError.ts";
import { callSmsProvider } from "./smsHttp.ts";
import type { SmsAccepted, SmsMessage, SmsProvider } from "./smsProvider.ts";

export interface AfricasTalkingSmsSettings {
  apiRoot: string;
  username: string;
  apiKey: string;
  /** Alphanumeric sender id or short code; the account's default when null. */
  senderId: string | null;
}

/**
 * Africa's Talking's bulk SMS API: POST {root}/version1/messaging, form-encoded username, to,
 * message, from, with the key in the `apiKey` header. The answer lists one recipient, whose
 * status must be "Success"; its statusCode says why not (5xx codes: their gateway, try again;
 * 406: the number blacklisted the sender, like a blocked bot).
 */
export function africasTalkingSms(settings: AfricasTalkingSmsSettings): SmsProvider {
  const url = `${settings.apiRoot.replace(/\/+$/, "")}/version1/messaging`;
  return {
    name: "africastalking",
    async send(message: SmsMessage): Promise<SmsAccepted> {
      const form = new URLSearchParams({ username: settings.username, to: message.to, message: message.text });
      if (settings.senderId) form.set("from", settings.senderId);
      const answer = await callSmsProvider("messaging", url, {
        headers: { apiKey: settings.apiKey, accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
        body: form,
      });
      const recipient = answer?.SMSMessageData?.Recipients?.[0];
      if (!recipient) throw new PlatformError("sms", "messaging", 400, String(answer?.SMSMessageData?.Message ?? "no recipient in the answer"));
      if (recipient.status !== "Success") {
        const code = Number(recipient.statusCode);
        const status = code >= 500 ? 503 : code === 406 ? 403 : 400;
        throw new PlatformError("sms", "messaging", status, `${recipient.status} (${recipient.statusCode})`);
      }
      return { providerId: recipient.messageId ? String(recipient.messageId) : null, alreadySent: false };
    },
  };
}
