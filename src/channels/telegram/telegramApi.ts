import { Api, type ApiClientOptions } from "grammy";
import { asPlatformError, type ChannelSender } from "../outbound/channelSender.ts";
import { PlatformError } from "../../domain/outbox/platformError.ts";

export const TELEGRAM_CHANNEL = "telegram";

/**
 * Calls made by the long-polling loop, which retries them with its own backoff and must end at
 * once on stop(): they bypass the sender's queues and retries (a long poll holds its call for
 * 25 s and must not hold a sending slot meanwhile).
 */
const POLL_LOOP_METHODS = new Set(["getUpdates", "deleteWebhook"]);

/**
 * grammY's API client with every call passing through the project's ChannelSender (rate limits,
 * retries on 429 and 5xx, PlatformError). grammY's `Bot` is not used: updates are recorded and
 * dispatched by ChatInbound, so Bot's middleware and its getMe at start would be dead weight.
 * The global fetch is given explicitly: grammY's default node-fetch hangs under test interceptors.
 */
export function createTelegramApi(token: string, apiRoot: string, sender: ChannelSender): Api {
  // grammY types `fetch` as node-fetch's; the global fetch takes the same calls it makes.
  // A call that gets no answer gives up after 40 s (grammY's default is 500): long enough for a long
  // poll (25 s), short enough that a hung call does not hold its chat's sending slot (see ChannelSender).
  const api = new Api(token, { apiRoot, timeoutSeconds: 40, fetch: globalThis.fetch as unknown as ApiClientOptions["fetch"] });
  api.config.use(async (prev, method, payload, signal) => {
    const call = async () => {
      const response = await prev(method, payload, signal);
      // grammY turns {ok:false} into a GrammyError only after the transformers: classify it here.
      if (!response.ok) throw new PlatformError(TELEGRAM_CHANNEL, method, response.error_code, response.description, response.parameters?.retry_after);
      return response;
    };
    if (POLL_LOOP_METHODS.has(method)) return call().catch((error) => Promise.reject(asPlatformError(error, TELEGRAM_CHANNEL, method)));
    return sender.send(senderKey(method, payload as Record<string, unknown> | undefined), method, call);
  });
  return api;
}

/**
 * Which queue a call waits in. Messages to a chat share that chat's (about 1 per second);
 * answering a button press or setting the webhook sends nothing to a chat, so each waits only for
 * the overall limit, not behind the messages to that person.
 */
function senderKey(method: string, payload: Record<string, unknown> | undefined): string {
  if (payload?.chat_id !== undefined) return String(payload.chat_id);
  if (typeof payload?.callback_query_id === "string") return `callback:${payload.callback_query_id}`;
  return `method:${method}`;
}
