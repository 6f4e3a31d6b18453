import { encodeCallState, type Utterance, type VoiceAnswer } from "../voiceScreen.ts";

const VOICES: Record<string, string> = { vi: "hn_female_ngochuyen_full_48k-fhg", en: "en-US-Standard-C" };

/**
 * A VoiceAnswer as Stringee's call control (SCCO): a JSON list of actions. `talk` speaks, `play`
 * plays a recording, `input` collects keys and posts them to its eventUrl (ours, with the secret
 * and the call's state), `connect` dials the hotline, `record` records a message.
 */
export function renderScco(answer: VoiceAnswer, eventUrl: (query: string) => string, audioBase: string): unknown[] {
  const voice = VOICES[answer.locale] ?? VOICES.vi;
  const actions: unknown[] = answer.say.map((u) => utterance(u, voice, audioBase));
  const next = answer.next;
  switch (next.kind) {
    case "listen":
      actions.push({
        action: "input",
        eventUrl: eventUrl(encodeCallState(next.state)),
        submitOnHash: next.listen.finishOnHash,
        maxDigits: next.listen.maxDigits,
        timeout: next.listen.timeoutSeconds,
      });
      break;
    case "hangup":
      break;
    case "dial":
      actions.push({ action: "connect", to: { type: "external", number: next.number } });
      break;
    case "record":
      actions.push({ action: "record", eventUrl: eventUrl(encodeCallState(next.state)), format: "mp3", beepStart: true, timeout: 120, finishOnKey: "#" });
      break;
  }
  return actions;
}

function utterance(u: Utterance, voice: string, audioBase: string): unknown {
  return u.audio ? { action: "play", fileURL: `${audioBase}/${u.audio}` } : { action: "talk", text: u.text, voice };
}
