import { createHmac } from "node:crypto";
import { secretMatches } from "../../chat/secretMatches.ts";

/**
 * Twilio's request signature: HMAC-SHA1 under the account's auth token, base64, over the full
 * URL Twilio called followed by each POST parameter, sorted by name, as name then value.
 */
function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((name) => name + params[name]).join("");
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/** Whether X-Twilio-Signature is Twilio's for this request (compared in constant time). */
export function verifyTwilioSignature(authToken: string, url: string, params: Record<string, string>, header: string | undefined): boolean {
  return typeof header === "string" && header !== "" && secretMatches(header, twilioSignature(authToken, url, params));
}
