import { decodeCallState, type VoiceHop } from "../voiceScreen.ts";

/** Twilio's POST fields as strings only (a field sent twice is refused rather than one copy winning). */
export function twilioParams(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== "object") return null;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== "string") return null;
    params[name] = value;
  }
  return params;
}

/** A Twilio voice callback (CallSid, From, Digits, RecordingUrl) and our state in its query. */
export function parseTwilioRequest(params: Record<string, string>, query: URLSearchParams): VoiceHop | null {
  if (!params.CallSid || !params.From) return null;
  const digits = params.Digits ?? "";
  return {
    callId: params.CallSid,
    from: params.From,
    state: decodeCallState(query),
    digits: digits === "" ? null : digits,
    ...(params.RecordingUrl ? { recordingUrl: params.RecordingUrl } : {}),
  };
}
