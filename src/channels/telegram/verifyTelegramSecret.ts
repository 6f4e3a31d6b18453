import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether the X-Telegram-Bot-Api-Secret-Token header is the configured secret, compared in
 * constant time so response timing does not reveal how much of a guess was right. Both sides are
 * hashed first: timingSafeEqual needs equal lengths, and this way the length does not leak either.
 */
export function verifyTelegramSecret(header: string | undefined, secret: string): boolean {
  if (typeof header !== "string") return false;
  return timingSafeEqual(sha256(header), sha256(secret));
}

/** Telegram's rule for secret_token: 1 to 256 characters, letters, digits, "_" and "-". */
export function isValidTelegramSecret(secret: string): boolean {
  return /^[A-Za-z0-9_-]{1,256}$/.test(secret);
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
