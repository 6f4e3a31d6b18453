import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether a webhook's secret header equals the configured secret, compared in constant time so
 * response timing does not reveal how much of a guess was right. Both sides are hashed first:
 * timingSafeEqual needs equal lengths, and this way the length does not leak either.
 */
export function secretMatches(header: string, secret: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(header), digest(secret));
}
