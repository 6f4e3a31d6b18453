import type { VoiceConfig } from "../../config.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { OutboxText } from "../../domain/outbox/outboxText.ts";
import { VoiceCallRecords } from "../../domain/voiceCalls/voiceCallRecords.ts";
import type { Translate } from "../../engine/types.ts";
import { placeTwilioCall } from "./twilio/placeTwilioCall.ts";
import { placeStringeeCall } from "./stringee/placeStringeeCall.ts";
import { VoiceOutbound, type PlaceCall } from "./voiceOutbound.ts";

/**
 * Reminder calls through Twilio when its account and token are set, else through Stringee when its
 * API key and the callback secret are; both need the caller id and the service's public address
 * (the provider calls back there). Null otherwise, and rows on channel "voice" then wait to be
 * heard at the person's next call, like USSD notices.
 */
export function createVoiceOutbound(deps: {
  config: VoiceConfig;
  publicUrl: string | null;
  /** Whether an SMS channel carries the message after two unanswered calls. */
  smsFallback: boolean;
  sql: Sql;
  outboxText: OutboxText;
  translate: Translate;
  clock: () => Date;
}): VoiceOutbound | null {
  const { config, publicUrl } = deps;
  if (!config.callerId || !publicUrl) return null;
  const records = new VoiceCallRecords(deps.sql, deps.outboxText, { retryMinutes: config.retryMinutes, smsFallback: deps.smsFallback });
  const outbound = (provider: string, place: PlaceCall) => new VoiceOutbound(provider, place, records, deps.translate, deps.clock, config.callsPerMinute);
  if (config.twilioAccountSid && config.twilioAuthToken) {
    const account = { apiRoot: config.twilioApiRoot, accountSid: config.twilioAccountSid, authToken: config.twilioAuthToken, callerId: config.callerId, publicUrl };
    return outbound("twilio", (to, answer) => placeTwilioCall(account, to, answer));
  }
  if (config.stringeeKeySid && config.stringeeKeySecret && config.stringeeSecret) {
    const account = { apiRoot: config.stringeeApiRoot, keySid: config.stringeeKeySid, keySecret: config.stringeeKeySecret, callerId: config.callerId, publicUrl, secret: config.stringeeSecret };
    return outbound("stringee", (to, answer) => placeStringeeCall(account, to, answer));
  }
  return null;
}
