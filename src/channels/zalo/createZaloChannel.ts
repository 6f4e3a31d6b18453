import { log } from "../../shared/log.ts";
import { createChatChannelRuntime, type ChatChannelDeps, type ChatChannelRuntime } from "../chat/chatChannelRuntime.ts";
import { ChannelSender } from "../outbound/channelSender.ts";
import { parseZaloUpdate } from "./parseZaloUpdate.ts";
import { registerZaloWebhook } from "./registerZaloWebhook.ts";
import { ZaloAdapter } from "./zaloAdapter.ts";
import { ZaloClient } from "./zaloClient.ts";
import { ZaloPolling } from "./zaloPolling.ts";
import { ZALO_CHANNEL } from "./zaloTypes.ts";
import { zaloWebhook } from "./zaloWebhook.ts";

/** Seconds a getUpdates call waits for an update (Zalo's documentation uses 30). */
const POLL_TIMEOUT_SECONDS = 30;

/**
 * The Zalo channel, when its token is configured, on the chat-channel runtime. With PUBLIC_URL it
 * registers the webhook and its secret at start (and refuses to start without ZALO_WEBHOOK_SECRET:
 * several instances must share one configured secret); without, it long-polls getUpdates.
 */
export function createZaloChannel(deps: ChatChannelDeps): ChatChannelRuntime {
  const { token, apiRoot, webhookSecret: secret, limits } = deps.config.zalo;
  if (!token) throw new Error("ZALO_BOT_TOKEN is not set");
  if (secret !== null && (secret.length < 8 || secret.length > 256)) {
    throw new Error(`ZALO_WEBHOOK_SECRET must be 8 to 256 characters (Zalo's limit for secret_token); it has ${secret.length}`);
  }
  const client = new ZaloClient({ token, apiRoot });
  const sender = new ChannelSender(ZALO_CHANNEL, limits, deps.sharedLimits);
  return createChatChannelRuntime(
    {
      adapter: new ZaloAdapter(client, sender),
      sender,
      webhook: (receive) => zaloWebhook({ secret: () => secret, receive }),

      async registerWebhook(url, signal) {
        // Without a secret anyone could post updates in a person's name; a secret generated here
        // would differ on every instance. The same rule as Telegram's.
        if (!secret) throw new Error("ZALO_WEBHOOK_SECRET must be set when PUBLIC_URL is (8 to 256 characters, e.g. openssl rand -hex 32)");
        await registerZaloWebhook(client, { url, secret_token: secret }, { backoffMs: limits.backoffMs, signal });
      },

      poller: (receive) =>
        new ZaloPolling(
          client,
          (result) => {
            const parsed = parseZaloUpdate(result);
            if (parsed.ok) return receive(parsed.update);
            log.warn("skipped a malformed zalo update from getUpdates", { reason: parsed.reason });
            return undefined;
          },
          { timeoutSeconds: POLL_TIMEOUT_SECONDS, backoffMs: limits.backoffMs },
        ),
    },
    deps,
  );
}
