import { secretMatches } from "../chat/secretMatches.ts";

export type SecretCheck = "ok" | "missing" | "wrong";

/**
 * Compares the `X-Bot-Api-Secret-Token` header with the secret registered with setWebhook, in
 * constant time.
 */
export function verifyZaloSecret(header: string | string[] | undefined, expected: string | null): SecretCheck {
  if (typeof header !== "string" || header === "") return "missing";
  if (!expected) return "wrong";
  return secretMatches(header, expected) ? "ok" : "wrong";
}
