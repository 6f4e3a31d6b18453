import { createHmac, randomUUID } from "node:crypto";
import { PlatformError } from "../../../domain/outbox/platformError.ts";
import { postToProvider } from "../../outbound/postToProvider.ts";
import type { VoiceAnswer } from "../voiceScreen.ts";
import { renderScco } from "./renderScco.ts";

export interface StringeeAccount {
  apiRoot: string;
  /** The project's API key (sid and secret): signs the REST token. */
  keySid: string;
  keySecret: string;
  /** The number calls come from (a Stringee number). */
  callerId: string;
  /** The service's public address, and the secret its callbacks carry. */
  publicUrl: string;
  secret: string;
}

export const STRINGEE_REMINDER_PATH = "/voice/stringee/reminder";
export const STRINGEE_STATUS_PATH = "/voice/stringee/status";

/** Stringee's REST token: a JWT (HS256) under the API key secret with `rest_api: true`. */
function stringeeRestToken(keySid: string, keySecret: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ typ: "JWT", alg: "HS256", cty: "stringee-api;v=1" })}.${part({ jti: `${keySid}-${randomUUID()}`, iss: keySid, exp: nowSeconds + 3600, rest_api: true })}`;
  return `${unsigned}.${createHmac("sha256", keySecret).update(unsigned).digest("base64url")}`;
}

/**
 * Places a call through Stringee's REST API (POST /v1/call2/callout) with its SCCO inline; the
 * keys and the call's end come back to our eventUrls (with the secret). Returns the call id.
 */
export async function placeStringeeCall(account: StringeeAccount, to: string, answer: VoiceAnswer): Promise<string> {
  const withSecret = (path: string) => (query: string) => `${account.publicUrl}${path}?secret=${encodeURIComponent(account.secret)}&${query}`;
  const body = {
    from: { type: "external", number: account.callerId.replace(/^\+/, ""), alias: account.callerId.replace(/^\+/, "") },
    to: [{ type: "external", number: to.replace(/^\+/, ""), alias: to.replace(/^\+/, "") }],
    actions: renderScco(answer, withSecret(STRINGEE_REMINDER_PATH), `${account.publicUrl}/voice/audio`),
    event_url: withSecret(STRINGEE_STATUS_PATH)("s=0"),
  };
  const response = await postToProvider("voice", "callout", `${account.apiRoot}/v1/call2/callout`, {
    headers: { "x-stringee-auth": stringeeRestToken(account.keySid, account.keySecret), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const result = (await response.json().catch(() => ({}))) as { r?: number; call_id?: string; message?: string };
  if (!response.ok || result.r !== 0 || typeof result.call_id !== "string") throw new PlatformError("voice", "callout", response.ok ? 400 : response.status, result.message ?? "no call id");
  return result.call_id;
}

/**
 * How a call ended, from Stringee's call events (developer.stringee.com/docs/server/call-events):
 * call_status goes created, started, ringing, answered, ended. The "ended" event says whether the
 * call was taken (answerDuration, seconds) and why it ended (endCallCause, a SIP status such as
 * "486 Busy Here", "480 Temporarily Unavailable", "487 Request Terminated"). Null: not the end yet.
 */
export function stringeeOutcome(event: { callStatus: string; answerDuration: number; endCallCause: string }): "answered" | "no_answer" | "busy" | "failed" | null {
  if (event.callStatus === "answered") return "answered";
  if (event.callStatus !== "ended") return null; // created, started, ringing, agentEnded
  if (event.answerDuration > 0) return "answered";
  const sipStatus = Number(/^\s*(\d{3})/.exec(event.endCallCause)?.[1] ?? 0);
  if (sipStatus === 486 || sipStatus === 600 || /busy/i.test(event.endCallCause)) return "busy";
  // Not answered in time, cancelled while ringing, phone off or out of reach: worth calling again.
  if (sipStatus === 0 || sipStatus === 408 || sipStatus === 480 || sipStatus === 487 || sipStatus === 603) return "no_answer";
  return "failed"; // a wrong number (404, 484), refused by the network (403, 5xx)
}
