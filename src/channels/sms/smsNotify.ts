import type { Notify } from "../../domain/outbox/outboxSender.ts";
import type { ChannelSender } from "../outbound/channelSender.ts";
import { toSmsText } from "../../shared/smsText.ts";
import type { SmsProvider } from "./smsProvider.ts";

/**
 * The outbox's way to send an SMS: the text folded for SMS, sent through the provider within the
 * provider's rate (ChannelSender: SMS_RATE_PER_SECOND, one at a time per phone, retries after 5xx
 * and timeouts), with the outbox's request id. `refuse` may stop a text before it
 * leaves (eSMS carries registered templates only): it throws, and the row is given up.
 */
export function smsNotify(provider: SmsProvider, sender: ChannelSender, refuse?: (text: string) => void): Notify {
  return async (phone, text, { requestId }) => {
    const sms = toSmsText(text);
    refuse?.(sms);
    const accepted = await sender.send(phone, "send", () => provider.send({ requestId, to: phone, text: sms }));
    return { providerId: accepted.providerId };
  };
}
