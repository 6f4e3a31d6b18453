import type { Request } from "express";
import { secretMatches } from "../chat/secretMatches.ts";

/**
 * Whether a provider's callback carries SMS_CALLBACK_SECRET as its last path segment (the
 * providers sign nothing, so the address is the secret), compared in constant time. Without a
 * configured secret every call passes: fine on a laptop, and the README says to set one.
 */
export function verifySmsCallback(req: Request, secret: string | null): boolean {
  if (secret === null) return true;
  const given = typeof req.params.secret === "string" ? req.params.secret : "";
  return secretMatches(given, secret);
}
