import type { ScreenRenderer } from "../../domain/conversationService.ts";
import type { Locale } from "../../engine/session.ts";
import type { Reply, Translate } from "../../engine/types.ts";
import { toSpeakableText } from "./speakableText.ts";
import type { VoiceRecordings } from "./voiceRecordings.ts";
import type { Utterance, VoiceScreen } from "./voiceScreen.ts";

/** Keys every screen of a call understands, the same numbers as on USSD. */
export const VOICE_REPEAT = "9";
/** The sentence after which the flow hands a caller to a person (flows/escalate.yaml, done_voice). */
const VOICE_HANDOFF_KEY = "escalate.how_voice";

const MENU_TIMEOUT_SECONDS = 7;
const TYPED_TIMEOUT_SECONDS = 12;
/** A 12-digit citizen ID or an 8-digit birth date fits, with room for a slip. */
const TYPED_MAX_DIGITS = 20;

/**
 * Lays a reply out for the ear: each sentence as a recording where one exists for its key, else
 * as speakable text; each choice as "<label>: bấm <n>"; the keys for repeat and back. A call does
 * not page, so a screen is one page; 9 says it again through the conversation host's `repeatInput`.
 */
export function voiceRenderer(translate: Translate, recordings: VoiceRecordings): ScreenRenderer<VoiceScreen> {
  const say = (locale: Locale, key: string, params?: Record<string, unknown>): Utterance => ({
    text: toSpeakableText(translate(locale, key, params), locale),
    ...optionalAudio(recordings.find(locale, key)),
  });
  return {
    repeatInput: VOICE_REPEAT,
    render(reply: Reply) {
      const locale = reply.locale;
      const utterances: Utterance[] = reply.texts.map((text, index) => ({
        text: toSpeakableText(text, locale),
        ...optionalAudio(recordings.find(locale, reply.sentenceKeys?.[index])),
      }));
      for (const choice of reply.choices) utterances.push(say(locale, "voice.press", { label: choice.label, number: choice.number }));
      const waits = !reply.end && reply.expects !== "none";
      if (waits && reply.expects === "text") utterances.push(say(locale, "voice.finish_hash"));
      if (waits) utterances.push(say(locale, "voice.repeat_hint"));
      if (waits && reply.canGoBack) utterances.push(say(locale, "voice.back_hint"));
      const menu = reply.expects === "choice";
      const widest = Math.max(1, ...reply.choices.map((c) => c.number.length));
      const screen: VoiceScreen = {
        locale,
        utterances,
        listen: waits
          ? menu
            ? { maxDigits: widest, timeoutSeconds: MENU_TIMEOUT_SECONDS, finishOnHash: false }
            : { maxDigits: TYPED_MAX_DIGITS, timeoutSeconds: TYPED_TIMEOUT_SECONDS, finishOnHash: true }
          : null,
        handoff: reply.end && (reply.sentenceKeys ?? []).includes(VOICE_HANDOFF_KEY),
        menu,
      };
      return { output: screen, pages: 1 };
    },
  };
}

function optionalAudio(file: string | null): { audio?: string } {
  return file ? { audio: file } : {};
}
