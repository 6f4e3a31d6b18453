import type { Config } from "../../../src/config.ts";
import { isConsentNotice } from "../../helpers/consentNotice.ts";
import { startFakeZaloServer, waitFor, type FakeZaloServer } from "../../helpers/fakeZaloServer.ts";
import { startTestServer, type TestServer } from "../../helpers/testServer.ts";

export const ZALO_TEST_TOKEN = "zalo-test-token";
export const ZALO_TEST_SECRET = "a-secret-of-8+";

/** How an update reaches the bot: POSTed to the webhook (wrapped or not), or served to getUpdates. */
export type Transport = "webhook-wrapped" | "webhook-unwrapped" | "polling";

/** The Zalo configuration tests use: the fake server, and limits small enough for fast retries. */
export function zaloConfig(apiRoot: string, overrides: Partial<Config["zalo"]> = {}): Pick<Config, "zalo"> {
  return {
    zalo: {
      token: ZALO_TEST_TOKEN,
      apiRoot,
      webhookSecret: ZALO_TEST_SECRET,
      limits: { perSecond: 200, perChatPerSecond: 100, maxRetries: 2, backoffMs: 10 },
      ...overrides,
    },
  };
}

/**
 * A test server whose Zalo channel talks to a fake Zalo platform. By default there is no
 * PUBLIC_URL, so starting the channel polls, and a test that does not start it posts to the webhook.
 */
export async function startZaloTest(
  options: { emptyPollMs?: number; publicUrl?: string | null; zalo?: Partial<Config["zalo"]>; demo?: boolean } = {},
): Promise<ZaloTest> {
  const fake = await startFakeZaloServer({ token: ZALO_TEST_TOKEN, emptyPollMs: options.emptyPollMs });
  try {
    const config = { ...zaloConfig(fake.url, options.zalo), publicUrl: options.publicUrl ?? null };
    return new ZaloTest(await startTestServer({ demo: options.demo, config }), fake);
  } catch (error) {
    await fake.close();
    throw error;
  }
}

/** The server and fake platform of a Zalo test, and the people chatting through them. */
export class ZaloTest {
  constructor(
    readonly server: TestServer,
    readonly fake: FakeZaloServer,
  ) {}

  person(chatId: string, transport?: Transport): ZaloPerson {
    return new ZaloPerson(this.server, this.fake, chatId, transport);
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.fake.close();
  }
}

let sequence = 0;

/** A Zalo update as the platform sends it. */
export function zaloUpdate(chatId: string, eventName: string, fields: Record<string, unknown> = {}, messageId = `m${++sequence}-${Date.now()}`) {
  return {
    event_name: eventName,
    message: {
      message_id: messageId,
      date: Date.now(),
      from: { id: chatId, display_name: "Người thử", is_bot: false },
      chat: { id: chatId, chat_type: "PRIVATE" },
      ...fields,
    },
  };
}

export async function postWebhook(server: TestServer, body: unknown, secret: string | null = ZALO_TEST_SECRET): Promise<Response> {
  return fetch(`${server.baseUrl}/webhooks/zalo`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-bot-api-secret-token": secret }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The state of an update in the inbound log, or undefined when it was never recorded. */
export async function inboundStatus(server: TestServer, updateKey: string): Promise<string | undefined> {
  const row = await server.services.db.sql.get<{ status: string }>(`SELECT status FROM InboundUpdate WHERE channel = 'zalo' AND updateKey = ?`, [updateKey]);
  return row?.status;
}

/** A person chatting with the bot on Zalo: sends an update and returns what the bot answered to it. */
export class ZaloPerson {
  /** Answer the first-contact personal-data notice with "1" (off to test the notice itself). */
  acceptsNotice = true;

  constructor(
    private readonly server: TestServer,
    private readonly fake: FakeZaloServer,
    readonly chatId: string,
    private readonly transport: Transport = "webhook-wrapped",
  ) {}

  /** Sends text and returns the bot's answer (all its messages joined by a blank line). */
  say(text: string): Promise<string> {
    return this.send(zaloUpdate(this.chatId, "message.text.received", { text }));
  }

  sendImage(): Promise<string> {
    return this.send(zaloUpdate(this.chatId, "message.image.received", { photo: "https://example.org/p.jpg", caption: "" }));
  }

  sendSticker(): Promise<string> {
    return this.send(zaloUpdate(this.chatId, "message.sticker.received", { sticker: "sticker-1" }));
  }

  sendUnsupported(): Promise<string> {
    return this.send(zaloUpdate(this.chatId, "message.unsupported.received"));
  }

  async send(update: ReturnType<typeof zaloUpdate>): Promise<string> {
    const before = this.fake.textsTo(this.chatId).length;
    await this.deliver(update);
    const key = `${update.event_name}:${update.message.message_id}`;
    await waitFor(async () => (await inboundStatus(this.server, key)) === "done", `the answer to ${key}`);
    const messages = this.fake.textsTo(this.chatId).slice(before);
    const answer = messages.join("\n\n");
    // Only when the notice is the screen waiting for an answer; what came with it (a hint about a sticker) is kept.
    return this.acceptsNotice && messages.length && isConsentNotice(messages.at(-1)!) ? `${answer}\n\n${await this.say("1")}` : answer;
  }

  /** Hands the update to the bot without waiting for the answer. */
  async deliver(update: unknown): Promise<void> {
    if (this.transport === "polling") {
      this.fake.pushUpdate(update);
      return;
    }
    const body = this.transport === "webhook-wrapped" ? { ok: true, result: update } : update;
    const response = await postWebhook(this.server, body);
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
  }
}
