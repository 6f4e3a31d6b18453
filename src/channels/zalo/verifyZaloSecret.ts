import { createHash, timingSafeEqual } from "node:crypto";

export type SecretCheck = "ok" | "missing" | "wrong";

/**
 * Compares the `X-Bot-Api-Secret-Token` header with the secret registered with setWebhook, in
 * constant time. Both sides are hashed first so the buffers compared are always the same length:
 * neither the secret's content nor its length leaks through timing.
 */
export function verifyZaloSecret(header: string | string[] | undefined, expected: string | null): SecretCheck {
  if (typeof header !== "string" || header === "") return "missing";
  if (!expected) return "wrong";
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(header), digest(expected)) ? "ok" : "wrong";
}
