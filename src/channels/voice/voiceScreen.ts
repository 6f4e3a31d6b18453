/** One sentence of a call: a recording to play where the province made one, else text for the provider's voice. */
export interface Utterance {
  text: string;
  /** Path under /voice/audio/ (e.g. "tay/main.greeting.mp3"), played instead of speaking `text`. */
  audio?: string;
}

/** How the next keys are collected. */
interface Listen {
  maxDigits: number;
  timeoutSeconds: number;
  /** The caller ends the answer with # (a citizen ID, a birth date). */
  finishOnHash: boolean;
}

/** A reply laid out for the ear: what to say, in which language, and what the call waits for. */
export interface VoiceScreen {
  locale: string;
  utterances: Utterance[];
  /** Null once the conversation has ended. */
  listen: Listen | null;
  /** The flow handed the caller to a person ("gặp cán bộ"): connect the call or record a message. */
  handoff: boolean;
  /** A menu (single keys; a lone 0 may be the first of 00), not a typed answer. */
  menu: boolean;
}

/**
 * What the provider is told to do after speaking. `state` goes into the callback address so the
 * next request knows where the call is without a database read (silences so far, a pending 0).
 */
type VoiceNext =
  | { kind: "listen"; listen: Listen; state: CallState }
  | { kind: "hangup" }
  | { kind: "dial"; number: string }
  | { kind: "record"; state: CallState };

export interface VoiceAnswer {
  locale: string;
  say: Utterance[];
  next: VoiceNext;
}

/** Where a call is, carried in the callback address (signed by Twilio, under the secret for Stringee). */
export interface CallState {
  /** Consecutive silences so far (keys pressed make it 0 again). */
  silences: number;
  /** The screen was a menu: a lone 0 waits briefly for a second 0. */
  menu: boolean;
  /** A 0 was pressed on a menu and the call waits for a second one. */
  zero: boolean;
  /** The caller is recording a message for an officer. */
  recording: boolean;
}

/** A provider's request, reduced to what the conversation needs. */
export interface VoiceHop {
  callId: string;
  /** The calling number as the provider gives it. */
  from: string;
  /** Null on the call's first request. */
  state: CallState | null;
  /** The keys pressed; null when the caller pressed nothing (silence). */
  digits: string | null;
  /** Where the recording of a message is, when one was just made. */
  recordingUrl?: string;
}

export function encodeCallState(state: CallState): string {
  return new URLSearchParams({
    s: String(state.silences),
    ...(state.menu ? { m: "1" } : {}),
    ...(state.zero ? { z: "1" } : {}),
    ...(state.recording ? { r: "1" } : {}),
  }).toString();
}

/** The state of a callback address's query, or null for the call's first request (no "s"). */
export function decodeCallState(query: URLSearchParams): CallState | null {
  const silences = query.get("s");
  if (silences === null || !/^\d{1,2}$/.test(silences)) return null;
  return { silences: Number(silences), menu: query.get("m") === "1", zero: query.get("z") === "1", recording: query.get("r") === "1" };
}
