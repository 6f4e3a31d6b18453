import type { ConversationService, ScreenRenderer } from "../../domain/conversationService.ts";
import type { Locale } from "../../engine/session.ts";
import type { Translate, Turn } from "../../engine/types.ts";
import { normalizeVietnamPhone } from "../../shared/phone.ts";
import type { ChannelAdapter } from "../channelAdapter.ts";
import { VOICE_REPEAT } from "./renderVoice.ts";
import { toSpeakableText } from "./speakableText.ts";
import type { VoiceRecordings } from "./voiceRecordings.ts";
import type { CallState, Utterance, VoiceAnswer, VoiceHop, VoiceScreen } from "./voiceScreen.ts";

export const VOICE_CHANNEL = "voice";
/** Sentences only calls say (locales/<lang>/bot.json "voice"): `flows check` makes sure each language has them. */
export const VOICE_KEYS = [
  "voice.press",
  "voice.repeat_hint",
  "voice.back_hint",
  "voice.finish_hash",
  "voice.silence",
  "voice.goodbye",
  "voice.connecting",
  "voice.record_prompt",
  "voice.record_thanks",
  "voice.voice_message",
] as const;
/** Re-prompts after silence before the call says goodbye. */
const VOICE_SILENCE_REPROMPTS = 2;
/** How long a lone 0 on a menu waits for a second 0 (00 = main menu) before it means "back". */
const SECOND_ZERO_SECONDS = 2;

export interface VoiceChannelOptions {
  /** The province hotline a caller asking for an officer is connected to; null: they leave a message. */
  operatorNumber: string | null;
  /** Adds a recorded voice message to the caller's open escalation. */
  recordVoiceMessage(userId: string, text: string): Promise<void>;
}

/**
 * The voice channel: a call is a conversation like a USSD session, answered in the HTTP response
 * of each provider callback (the provider asks "what next?" and waits). So it runs on the same
 * ConversationService as USSD with its own renderer, not on the chat runtime (which answers later,
 * through a sender). The caller is known by the calling number; keys are the USSD numbers.
 * Providers (twilio/, stringee/) only parse their requests and format a VoiceAnswer.
 */
export class VoiceChannel implements ChannelAdapter<VoiceScreen> {
  readonly channel = VOICE_CHANNEL;

  constructor(
    private readonly service: ConversationService,
    readonly renderer: ScreenRenderer<VoiceScreen>,
    private readonly translate: Translate,
    private readonly recordings: VoiceRecordings,
    private readonly options: VoiceChannelOptions,
  ) {}

  async answer(hop: VoiceHop): Promise<VoiceAnswer> {
    const caller = callerOf(hop.from);
    const state = hop.state;
    if (state?.recording) return this.recorded(caller.userId, hop);
    if (state && hop.digits === null && !state.zero) {
      // Silence: the screen again (through the host's repeat key) after a word, twice; then goodbye.
      const silences = state.silences + 1;
      if (silences > VOICE_SILENCE_REPROMPTS) return { locale: "vi", say: [this.sentence("vi", "voice.goodbye")], next: { kind: "hangup" } };
      const screen = await this.step(caller, { kind: "input", text: VOICE_REPEAT });
      return this.compose(screen, silences, [this.sentence(screen.locale as Locale, "voice.silence")]);
    }
    const keys = hop.digits?.replace(/[^0-9*#]/g, "") ?? "";
    if (state?.menu && !state.zero && keys === "0") {
      // Maybe the first key of 00: listen a moment longer, saying nothing.
      const waiting: CallState = { silences: 0, menu: true, zero: true, recording: false };
      return { locale: "vi", say: [], next: { kind: "listen", listen: { maxDigits: 1, timeoutSeconds: SECOND_ZERO_SECONDS, finishOnHash: false }, state: waiting } };
    }
    const turn: Turn = !state ? { kind: "reconnect" } : { kind: "input", text: state.zero ? (keys === "0" ? "00" : "0") : keys };
    const screen = await this.step(caller, turn);
    return this.compose(screen, 0, []);
  }

  private async step(caller: { userId: string; phone?: string }, turn: Turn): Promise<VoiceScreen> {
    const { output } = await this.service.handle({ conversation: { channel: VOICE_CHANNEL, userId: caller.userId, phone: caller.phone }, turn }, this.renderer);
    return output;
  }

  private compose(screen: VoiceScreen, silences: number, before: Utterance[]): VoiceAnswer {
    const locale = screen.locale;
    const say = [...before, ...screen.utterances];
    if (screen.handoff) {
      if (this.options.operatorNumber) {
        return { locale, say: [...say, this.sentence(locale as Locale, "voice.connecting")], next: { kind: "dial", number: this.options.operatorNumber } };
      }
      return { locale, say: [...say, this.sentence(locale as Locale, "voice.record_prompt")], next: { kind: "record", state: { silences: 0, menu: false, zero: false, recording: true } } };
    }
    if (!screen.listen) return { locale, say, next: { kind: "hangup" } };
    const state: CallState = { silences, menu: screen.menu, zero: false, recording: false };
    return { locale, say, next: { kind: "listen", listen: screen.listen, state } };
  }

  /** The message a caller left for an officer: stored with their escalation, then goodbye. */
  private async recorded(userId: string, hop: VoiceHop): Promise<VoiceAnswer> {
    if (hop.recordingUrl) await this.options.recordVoiceMessage(userId, this.translate("vi", "voice.voice_message", { url: hop.recordingUrl }));
    return { locale: "vi", say: [this.sentence("vi", "voice.record_thanks")], next: { kind: "hangup" } };
  }

  private sentence(locale: Locale, key: string): Utterance {
    const audio = this.recordings.find(locale, key);
    return { text: toSpeakableText(this.translate(locale, key), locale), ...(audio ? { audio } : {}) };
  }
}

/** The conversation's user: the calling number in E.164, which also identifies the caller (like USSD). */
function callerOf(from: string): { userId: string; phone?: string } {
  const phone = normalizeVietnamPhone(from);
  return phone.ok ? { userId: phone.e164, phone: phone.e164 } : { userId: `+${from.replace(/\D/g, "") || "unknown"}` };
}
