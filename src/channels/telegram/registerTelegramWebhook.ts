import type { Api } from "grammy";
import { log } from "../../shared/log.ts";
import { ALLOWED_UPDATES } from "./pollTelegramUpdates.ts";
import { TELEGRAM_CHANNEL } from "./telegramApi.ts";
import { isValidTelegramSecret } from "./verifyTelegramSecret.ts";

/**
 * Tells Telegram where to send updates, with the secret it must send back. Refuses to run without
 * a secret: the webhook would then accept updates from anyone (no secret is generated, because
 * each instance of the service would generate a different one). A failure after the sender's
 * retries is thrown: the operator has a wrong PUBLIC_URL or token to fix.
 */
export async function registerTelegramWebhook(api: Api, url: string, secret: string | null): Promise<void> {
  if (!secret) throw new Error("TELEGRAM_WEBHOOK_SECRET must be set when PUBLIC_URL is set (the webhook checks it on every request)");
  if (!isValidTelegramSecret(secret)) throw new Error("TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)");
  await api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
  log.info("telegram webhook registered", { channel: TELEGRAM_CHANNEL, url });
}
