import { secretMatches } from "../chat/secretMatches.ts";

/** Whether the X-Telegram-Bot-Api-Secret-Token header is the configured secret (constant time). */
export function verifyTelegramSecret(header: string | undefined, secret: string): boolean {
  return typeof header === "string" && secretMatches(header, secret);
}

/** Telegram's rule for secret_token: 1 to 256 characters, letters, digits, "_" and "-". */
export function isValidTelegramSecret(secret: string): boolean {
  return /^[A-Za-z0-9_-]{1,256}$/.test(secret);
}
