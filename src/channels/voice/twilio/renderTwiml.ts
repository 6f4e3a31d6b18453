import { encodeCallState, type Utterance, type VoiceAnswer } from "../voiceScreen.ts";

const LANGUAGES: Record<string, string> = { vi: "vi-VN", en: "en-US" };

/**
 * A VoiceAnswer as TwiML. Sentences are said inside <Gather> so a caller may press a key without
 * waiting for the end; when Gather hears nothing, Twilio goes on to <Redirect>, which carries the
 * silence count. Callback addresses are relative: Twilio resolves them against the one it called.
 */
export function renderTwiml(answer: VoiceAnswer, path: string, audioBase: string): string {
  const language = LANGUAGES[answer.locale] ?? "vi-VN";
  const said = answer.say.map((u) => utterance(u, language, audioBase)).join("");
  const next = answer.next;
  let body: string;
  switch (next.kind) {
    case "listen": {
      const { listen } = next;
      const action = `${path}?${encodeCallState(next.state)}`;
      // Twilio posts Digits to the action; with none it moves on to the Redirect (no Digits): silence.
      const attributes = `input="dtmf" numDigits="${listen.maxDigits}" timeout="${listen.timeoutSeconds}" finishOnKey="${listen.finishOnHash ? "#" : ""}" action="${xml(action)}" method="POST"`;
      body = `<Gather ${attributes}>${said}</Gather><Redirect method="POST">${xml(`${path}?${encodeCallState(next.state)}`)}</Redirect>`;
      break;
    }
    case "hangup":
      body = `${said}<Hangup/>`;
      break;
    case "dial":
      body = `${said}<Dial>${xml(next.number)}</Dial>`;
      break;
    case "record":
      body = `${said}<Record maxLength="120" finishOnKey="#" playBeep="true" action="${xml(`${path}?${encodeCallState(next.state)}`)}" method="POST"/>`;
      break;
  }
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
}

function utterance(u: Utterance, language: string, audioBase: string): string {
  return u.audio ? `<Play>${xml(`${audioBase}/${u.audio}`)}</Play>` : `<Say language="${language}">${xml(u.text)}</Say>`;
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
