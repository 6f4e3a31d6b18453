import type { Config, SmsConfig } from "../../src/config.ts";
import type { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import { FakeEsmsServer } from "../helpers/fakeEsmsServer.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";

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

type SmsFake = FakeAfricasTalkingSms | FakeEsmsServer;

/**
 * Starts a fake SMS provider (`FakeAfricasTalkingSms` or `FakeEsmsServer`) and a test server on
 * the demo data that sends SMS through it; `config` is the rest of the server's configuration.
 */
export async function startSmsTest<Fake extends SmsFake>(provider: { start(): Promise<Fake> }, options: { clock?: () => Date; config?: Partial<Config> } = {}): Promise<SmsTest<Fake>> {
  const fake = await provider.start();
  const either: SmsFake = fake;
  const sms = either instanceof FakeEsmsServer ? esmsConfig(either) : africasTalkingConfig(either);
  try {
    return new SmsTest(await startTestServer({ clock: options.clock, config: { ...options.config, sms } }), fake);
  } catch (error) {
    await fake.close();
    throw error;
  }
}

/** The server and fake provider of an SMS test. */
export class SmsTest<Fake extends SmsFake> {
  constructor(
    readonly server: TestServer,
    readonly fake: Fake,
  ) {}

  async close(): Promise<void> {
    await this.server.close();
    await this.fake.close();
  }
}
