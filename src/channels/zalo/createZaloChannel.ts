import { log } from "../../shared/log.ts";
import type { ChatChannelDeps, ChatChannelRuntime } from "../chat/chatChannelRuntime.ts";
import { ChatInbound } from "../chat/chatInbound.ts";
import { ChannelSender } from "../outbound/channelSender.ts";
import { parseZaloUpdate } from "./parseZaloUpdate.ts";
import { registerZaloWebhook } from "./registerZaloWebhook.ts";
import { ZaloAdapter } from "./zaloAdapter.ts";
import { ZaloClient } from "./zaloClient.ts";
import { ZaloPolling } from "./zaloPolling.ts";
import { ZALO_CHANNEL, type ZaloUpdate } from "./zaloTypes.ts";
import { zaloWebhook } from "./zaloWebhook.ts";

/** Seconds a getUpdates call waits for an update (Zalo's documentation uses 30). */
const POLL_TIMEOUT_SECONDS = 30;
/** How long stop() waits for answers already being handled before the database closes. */
const STOP_GRACE_MS = 5_000;

/**
 * The Zalo channel, when its token is configured. With PUBLIC_URL it registers
 * `<PUBLIC_URL>/webhooks/zalo` and its secret at start; without, it long-polls getUpdates.
 * Without ZALO_WEBHOOK_SECRET in webhook mode it refuses to start, and
 * registered with the webhook (fine for one instance; several instances must share a configured one).
 */
export function createZaloChannel(deps: ChatChannelDeps): ChatChannelRuntime {
  const { config } = deps;
  const token = config.zalo.token;
  if (!token) throw new Error("ZALO_BOT_TOKEN is not set");
  let secret = config.zalo.webhookSecret;
  if (secret !== null && (secret.length < 8 || secret.length > 256)) {
    throw new Error(`ZALO_WEBHOOK_SECRET must be 8 to 256 characters (Zalo's limit for secret_token); it has ${secret.length}`);
  }

  const client = new ZaloClient({ token, apiRoot: config.zalo.apiRoot });
  const sender = new ChannelSender(ZALO_CHANNEL, config.zalo.limits, deps.sharedLimits);
  const adapter = new ZaloAdapter(client, sender);
  const inbound = new ChatInbound(adapter, deps.conversations, deps.inboundLog, deps.sql, deps.clock);
  const stopping = new AbortController();
  let polling: ZaloPolling | null = null;
  const inFlight = new Set<Promise<void>>();

  const receive = async (update: ZaloUpdate) => {
    const { handled } = await inbound.receive(update);
    // ChatInbound records failures itself; this only lets stop() wait for answers being sent.
    const tracked = handled.catch((error) => log.error("zalo update handling failed", { error }));
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));
  };

  return {
    channel: ZALO_CHANNEL,
    adapter,
    inbound,
    webhook: zaloWebhook({ secret: () => secret, receive }),

    async start() {
      if (config.publicUrl) {
        // Without a secret anyone could post updates in a person's name; a secret generated here
        // would differ on every instance. The same rule as Telegram's.
        if (!secret) throw new Error("ZALO_WEBHOOK_SECRET must be set when PUBLIC_URL is (8 to 256 characters, e.g. openssl rand -hex 32)");
        await registerZaloWebhook(client, { url: `${config.publicUrl}/webhooks/zalo`, secret_token: secret }, { backoffMs: config.zalo.limits.backoffMs, signal: stopping.signal });
      } else {
        polling = new ZaloPolling(
          client,
          (result) => {
            const parsed = parseZaloUpdate(result);
            if (parsed.ok) return receive(parsed.update);
            log.warn("skipped a malformed zalo update from getUpdates", { reason: parsed.reason });
            return undefined;
          },
          { timeoutSeconds: POLL_TIMEOUT_SECONDS, backoffMs: config.zalo.limits.backoffMs },
        );
        polling.start();
        log.info("zalo long polling started (no PUBLIC_URL)");
      }
    },

    async stop() {
      stopping.abort();
      await polling?.stop();
      await sender.stop();
      await Promise.race([Promise.all(inFlight), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
    },
  };
}
