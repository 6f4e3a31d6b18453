import type { SmsConfig } from "../../src/config.ts";
import type { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import type { FakeEsmsServer } from "../helpers/fakeEsmsServer.ts";

export const CALLBACK_SECRET = "sms-callback-secret-0123456789";

const limits = { perSecond: 200, perChatPerSecond: 100, maxRetries: 1, backoffMs: 5 };

/** SMS through the fake Africa's Talking. */
export function africasTalkingConfig(fake: FakeAfricasTalkingSms, overrides: Partial<SmsConfig> = {}): SmsConfig {
  return {
    provider: "africastalking",
    apiRoot: fake.apiRoot,
    africasTalking: { username: fake.username, apiKey: fake.apiKey, senderId: "ANSINH" },
    esms: { apiKey: null, secretKey: null, brandname: null },
    limits,
    pricePerSegment: 800,
    callbackSecret: CALLBACK_SECRET,
    ...overrides,
  };
}

/** SMS through the fake eSMS. */
export function esmsConfig(fake: FakeEsmsServer, overrides: Partial<SmsConfig> = {}): SmsConfig {
  return {
    provider: "esms",
    apiRoot: fake.apiRoot,
    africasTalking: { username: null, apiKey: null, senderId: null },
    esms: { apiKey: fake.apiKey, secretKey: fake.secretKey, brandname: "ANSINH" },
    limits,
    pricePerSegment: 800,
    callbackSecret: CALLBACK_SECRET,
    ...overrides,
  };
}
