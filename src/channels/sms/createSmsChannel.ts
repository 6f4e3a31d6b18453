import type { Translate } from "../../engine/types.ts";
import { log } from "../../shared/log.ts";
import { createChatChannelRuntime, type ChatChannelDeps, type ChatChannelRuntime } from "../chat/chatChannelRuntime.ts";
import type { ChannelSender } from "../outbound/channelSender.ts";
import { smsAdapter } from "./smsAdapter.ts";
import { smsConversation } from "./smsConversation.ts";
import type { SmsProvider } from "./smsProvider.ts";
import { SMS_INBOUND_PATH, smsWebhook } from "./smsWebhook.ts";

/**
 * SMS asked and answered, on the chat-channel runtime like Telegram and Zalo: a person's message is
 * recorded, answered in the background by one SMS, retried when the answer failed, and let finish
 * at stop. `sender` is the one the outbox sends SMS through too (one rate for the provider); the
 * runtime stops it last. The provider posts only (no polling), to the address set in its dashboard.
 * `translate` gives the help a text that answered nothing gets (renderSms.ts).
 */
export function createSmsChannel(provider: SmsProvider, sender: ChannelSender, deps: ChatChannelDeps, translate: Translate): ChatChannelRuntime {
  const { callbackSecret } = deps.config.sms;
  return createChatChannelRuntime(
    {
      adapter: smsAdapter(provider, sender, translate),
      sender,
      webhookPath: SMS_INBOUND_PATH,
      webhook: (receive) => smsWebhook(callbackSecret, receive),

      async registerWebhook() {
        // Nothing to register: the provider is pointed at the address in its dashboard. Only checks.
        if (provider.name !== "africastalking") return; // eSMS posts delivery reports only
        if (!callbackSecret) {
          log.warn("SMS_CALLBACK_SECRET is not set: anyone who knows PUBLIC_URL can post SMS in a person's name; set it and add it to the dashboard's callback URLs");
          return;
        }
        log.info("SMS: incoming messages arrive when Africa's Talking's dashboard posts to PUBLIC_URL/sms/africastalking/<SMS_CALLBACK_SECRET>");
      },
    },
    { ...deps, conversations: smsConversation(deps.conversations) },
  );
}
