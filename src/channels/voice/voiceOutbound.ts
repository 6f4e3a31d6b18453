import Bottleneck from "bottleneck";
import type { Translate } from "../../engine/types.ts";
import type { Notify } from "../../domain/outbox/outboxSender.ts";
import type { CallOutcome, VoiceCallRecords } from "../../domain/voiceCalls/voiceCallRecords.ts";
import { log } from "../../shared/log.ts";
import { HEAR_AGAIN, outboundCallAnswer } from "./outboundCall.ts";
import type { VoiceAnswer } from "./voiceScreen.ts";

/** Places one call and returns the provider's call id. */
export type PlaceCall = (to: string, answer: VoiceAnswer) => Promise<string>;

/**
 * Reminder calls: the outbox's notifier for channel "voice" (at most `callsPerMinute`, in day
 * hours like every reminder), the replay when the person presses 1, and the call's outcome.
 */
export class VoiceOutbound {
  private readonly limiter: Bottleneck;

  constructor(
    private readonly provider: string,
    private readonly place: PlaceCall,
    private readonly records: VoiceCallRecords,
    private readonly translate: Translate,
    private readonly clock: () => Date,
    callsPerMinute: number,
  ) {
    this.limiter = new Bottleneck({ reservoir: callsPerMinute, reservoirRefreshAmount: callsPerMinute, reservoirRefreshInterval: 60_000 });
  }

  readonly notify: Notify = (to, text, { row }) =>
    this.limiter.schedule(async () => {
      const callId = await this.place(to, outboundCallAnswer(this.translate, text, row.locale));
      await this.records.placed(row.id, this.provider, callId, this.clock());
    });

  /** The answer to a key pressed on a reminder call: the message again on 1, else goodbye. */
  async replay(callId: string, digits: string | null): Promise<VoiceAnswer> {
    const words = digits === HEAR_AGAIN ? await this.records.wordsOf(callId, this.clock()) : null;
    if (words) return outboundCallAnswer(this.translate, words.text, words.locale);
    return { locale: "vi", say: [{ text: this.translate("vi", "voice.goodbye") }], next: { kind: "hangup" } };
  }

  async ended(callId: string, outcome: CallOutcome): Promise<void> {
    const result = await this.records.ended(callId, outcome, this.clock());
    log.info("voice call ended", { provider: this.provider, outcome, followUp: result });
  }

  async stop(): Promise<void> {
    await this.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
  }
}
