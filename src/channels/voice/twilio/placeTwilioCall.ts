import { PlatformError } from "../../../domain/outbox/platformError.ts";
import { postToProvider } from "../../outbound/postToProvider.ts";
import type { VoiceAnswer } from "../voiceScreen.ts";
import { renderTwiml } from "./renderTwiml.ts";

export interface TwilioAccount {
  apiRoot: string;
  accountSid: string;
  authToken: string;
  /** The number calls come from (a Twilio number). */
  callerId: string;
  /** The service's public address: Twilio calls back there. */
  publicUrl: string;
}

export const TWILIO_REMINDER_PATH = "/voice/twilio/reminder";
export const TWILIO_STATUS_PATH = "/voice/twilio/status";

/**
 * Places a call through Twilio's REST API (POST /2010-04-01/Accounts/{sid}/Calls.json) with the
 * call's TwiML inline, and asks for the call's end (StatusCallback) to know whether it was
 * answered. Returns Twilio's CallSid.
 */
export async function placeTwilioCall(account: TwilioAccount, to: string, answer: VoiceAnswer): Promise<string> {
  const form = new URLSearchParams({
    To: to,
    From: account.callerId,
    Twiml: renderTwiml(answer, `${account.publicUrl}${TWILIO_REMINDER_PATH}`, `${account.publicUrl}/voice/audio`),
    StatusCallback: `${account.publicUrl}${TWILIO_STATUS_PATH}`,
    StatusCallbackMethod: "POST",
  });
  const url = `${account.apiRoot}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Calls.json`;
  const response = await postToProvider("voice", "Calls.json", url, {
    headers: {
      authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: form,
  });
  const body = (await response.json().catch(() => ({}))) as { sid?: string; message?: string };
  if (!response.ok || typeof body.sid !== "string") throw new PlatformError("voice", "Calls.json", response.status, body.message ?? "no call sid");
  return body.sid;
}

/** Twilio's CallStatus at the end of a call, as an outcome. */
export function twilioOutcome(callStatus: string): "answered" | "no_answer" | "busy" | "failed" | null {
  switch (callStatus) {
    case "completed":
      return "answered";
    case "no-answer":
      return "no_answer";
    case "busy":
      return "busy";
    case "failed":
    case "canceled":
      return "failed";
    default:
      return null; // queued, ringing, in-progress: not the end yet
  }
}
