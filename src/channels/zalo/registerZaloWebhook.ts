import { abortableSleep } from "../../shared/abortableSleep.ts";
import { log } from "../../shared/log.ts";
import { asPlatformError } from "../outbound/channelSender.ts";
import type { ZaloClient } from "./zaloClient.ts";
import { ZALO_CHANNEL } from "./zaloTypes.ts";

const MAX_BACKOFF_MS = 60_000;

/**
 * Tells Zalo where to send updates. A refusal (bad token, a URL Zalo will not call) is a
 * configuration mistake: it is thrown, so the service does not start deaf. A network failure or a
 * 5xx is retried in the background with backoff until it succeeds or `signal` aborts.
 */
export async function registerZaloWebhook(
  client: ZaloClient,
  params: { url: string; secret_token: string },
  options: { backoffMs: number; signal: AbortSignal },
): Promise<void> {
  try {
    await client.setWebhook(params, { signal: options.signal });
    log.info("zalo webhook registered", { url: params.url });
  } catch (error) {
    const failure = asPlatformError(error, ZALO_CHANNEL, "setWebhook");
    if (failure.failure === "permanent" || failure.failure === "blocked") {
      throw new Error(`Zalo refused the webhook ${params.url}: ${failure.message}. Check ZALO_BOT_TOKEN and PUBLIC_URL (it must be https).`);
    }
    log.error("zalo webhook registration failed; retrying in the background", { error: failure });
    void retryInBackground(client, params, options);
  }
}

async function retryInBackground(client: ZaloClient, params: { url: string; secret_token: string }, options: { backoffMs: number; signal: AbortSignal }) {
  for (let attempt = 1; !options.signal.aborted; attempt++) {
    await abortableSleep(Math.min(MAX_BACKOFF_MS, options.backoffMs * 2 ** attempt), options.signal);
    if (options.signal.aborted) return;
    try {
      await client.setWebhook(params, { signal: options.signal });
      log.info("zalo webhook registered", { url: params.url, attempt });
      return;
    } catch (error) {
      if (!options.signal.aborted) log.error("zalo webhook registration failed; retrying", { error, attempt });
    }
  }
}
