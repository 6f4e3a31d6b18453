import type { VoiceConfig } from "../../config.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { OutboxText } from "../../domain/outbox/outboxText.ts";
import { VoiceCallRecords } from "../../domain/voiceCalls/voiceCallRecords.ts";
import type { Translate } from "../../engine/types.ts";
import { placeTwilioCall } from "./twilio/placeTwilioCall.ts";
import { VoiceOutbound } from "./voiceOutbound.ts";

/**
 * Reminder calls through Twilio when its account, token, caller id and the service's public
 * address are configured (Twilio must reach the callbacks); null otherwise, and rows on channel
 * "voice" then wait to be heard at the person's next call, like USSD notices.
 */
export function createVoiceOutbound(deps: { config: VoiceConfig; publicUrl: string | null; sql: Sql; outboxText: OutboxText; translate: Translate; clock: () => Date }): VoiceOutbound | null {
  const { config, publicUrl } = deps;
  if (!config.twilioAccountSid || !config.twilioAuthToken || !config.callerId || !publicUrl) return null;
  const account = { apiRoot: config.twilioApiRoot, accountSid: config.twilioAccountSid, authToken: config.twilioAuthToken, callerId: config.callerId, publicUrl };
  const records = new VoiceCallRecords(deps.sql, deps.outboxText, { retryMinutes: config.retryMinutes });
  return new VoiceOutbound("twilio", (to, answer) => placeTwilioCall(account, to, answer), records, deps.translate, deps.clock, config.callsPerMinute);
}
