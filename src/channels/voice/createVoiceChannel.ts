import type { VoiceConfig } from "../../config.ts";
import type { ConversationService } from "../../domain/conversationService.ts";
import type { EscalationDesk } from "../../domain/escalations/escalationDesk.ts";
import type { Translate } from "../../engine/types.ts";
import { voiceRenderer } from "./renderVoice.ts";
import { VOICE_CHANNEL, VoiceChannel } from "./voiceChannel.ts";
import { audioDirOf, VoiceRecordings } from "./voiceRecordings.ts";

/** The topic flows/escalate.yaml opens its escalation under. */
const HUMAN_TOPIC = "human";

/** The voice channel wired to the service: its renderer, the recorded prompts, and where voice messages go. */
export function createVoiceChannel(deps: { config: VoiceConfig; conversations: ConversationService; translate: Translate; escalations: EscalationDesk; clock: () => Date }): VoiceChannel {
  const recordings = new VoiceRecordings(audioDirOf(deps.config));
  return new VoiceChannel(deps.conversations, voiceRenderer(deps.translate, recordings), deps.translate, recordings, {
    operatorNumber: deps.config.operatorNumber,
    recordVoiceMessage: async (userId, text) => {
      await deps.escalations.personLeftMessage(VOICE_CHANNEL, userId, HUMAN_TOPIC, text, deps.clock());
    },
  });
}
