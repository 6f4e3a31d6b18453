import type { Locale } from "../../engine/session.ts";
import type { Translate } from "../../engine/types.ts";
import { toSpeakableText } from "./speakableText.ts";
import type { VoiceAnswer } from "./voiceScreen.ts";

/** The key that says a reminder again on an outbound call. */
export const HEAR_AGAIN = "1";

/**
 * What an outbound call says: the message, then "press 1 to hear again", listening for one key.
 * The same answer serves the first play and each replay.
 */
export function outboundCallAnswer(translate: Translate, text: string, locale: string): VoiceAnswer {
  const lang = (locale === "en" ? "en" : "vi") as Locale;
  return {
    locale: lang,
    say: [{ text: toSpeakableText(text, lang) }, { text: toSpeakableText(translate(lang, "voice.reminder_again"), lang) }],
    next: { kind: "listen", listen: { maxDigits: 1, timeoutSeconds: 6, finishOnHash: false }, state: { silences: 0, menu: false, zero: false, recording: false } },
  };
}
