import type { Translate } from "../../engine/types.ts";
import type { ChatAdapter, ChatEvent } from "../chat/chatAdapter.ts";
import type { ChannelSender } from "../outbound/channelSender.ts";
import type { SmsInbound } from "./parseAfricasTalkingInbound.ts";
import { smsRenderer } from "./renderSms.ts";
import type { SmsProvider } from "./smsProvider.ts";

const SMS_CHANNEL = "sms";

/**
 * SMS as a chat channel: an incoming message (already parsed, the sender's number vouched for by
 * the network like a USSD caller's) becomes a conversation event; the answer is one SMS through
 * the provider, within its rate.
 */
export function smsAdapter(provider: SmsProvider, sender: ChannelSender, translate: Translate): ChatAdapter<SmsInbound, string> {
  const send = (to: string, text: string, requestId: string) => sender.send(to, "send", () => provider.send({ requestId, to, text }));
  return {
    channel: SMS_CHANNEL,
    renderer: smsRenderer(translate),
    normalize: (message: SmsInbound): ChatEvent => ({ updateKey: message.id, userId: message.from, kind: "text", text: message.text, networkPhone: message.from }),
    async deliver(event: ChatEvent, output: string) {
      await send(event.userId, output, `in-${event.updateKey}`);
    },
    async notify(userId: string, text: string) {
      await send(userId, text, `notify-${Date.now().toString(36)}`);
    },
  };
}
