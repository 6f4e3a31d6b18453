import { decodeCallState, type VoiceHop } from "../voiceScreen.ts";

/** Stringee's answer_url request: GET ?from=&to=&uuid= when a call arrives. */
export function parseStringeeAnswer(query: URLSearchParams): VoiceHop | null {
  const from = query.get("from");
  const uuid = query.get("uuid");
  if (!from || !uuid) return null;
  return { callId: uuid, from, state: null, digits: null };
}

/**
 * A Stringee event (POST JSON: call_id, dtmf, timeout, from): the keys an `input` action
 * collected, or its timeout; our state is in the eventUrl's query.
 */
export function parseStringeeEvent(body: unknown, query: URLSearchParams): VoiceHop | null {
  if (!body || typeof body !== "object") return null;
  const event = body as Record<string, unknown>;
  const from = typeof event.from === "string" ? event.from : numberOf(event.from);
  if (typeof event.call_id !== "string" || !from) return null;
  const state = decodeCallState(query);
  if (!state) return null;
  const timedOut = event.timeout === true || event.timeout === "true";
  const dtmf = typeof event.dtmf === "string" ? event.dtmf : "";
  return {
    callId: event.call_id,
    from,
    state,
    digits: timedOut || dtmf === "" ? null : dtmf,
    ...(typeof event.recording_url === "string" ? { recordingUrl: event.recording_url } : {}),
  };
}

/** Stringee sends numbers as { type, number, alias } in some events. */
function numberOf(value: unknown): string | null {
  return value && typeof value === "object" && typeof (value as { number?: unknown }).number === "string" ? (value as { number: string }).number : null;
}

/** An event of a call the service placed: its id, the keys pressed, and its status (Stringee's call_status). */
export function stringeeCallEvent(body: unknown): { callId: string; dtmf: string; callStatus: string; answerDuration: number; endCallCause: string } | null {
  if (!body || typeof body !== "object") return null;
  const event = body as Record<string, unknown>;
  if (typeof event.call_id !== "string") return null;
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  const answerDuration = Number(event.answerDuration);
  return {
    callId: event.call_id,
    dtmf: text(event.dtmf),
    callStatus: text(event.call_status),
    answerDuration: Number.isFinite(answerDuration) ? answerDuration : 0,
    endCallCause: text(event.endCallCause),
  };
}
