import type { Config } from "../../../src/config.ts";
import type { ChatChannelRuntime } from "../../../src/channels/chat/chatChannelRuntime.ts";
import { FakeTelegramServer, type RecordedCall } from "../../helpers/fakeTelegramServer.ts";
import { startTestServer, type TestServer } from "../../helpers/testServer.ts";

import { isConsentNotice } from "../../helpers/consentNotice.ts";
export const WEBHOOK_SECRET = "s3cret-for_tests";
const DEADLINE_MS = 10_000;

/** The service on a fake Bot API: small limits so retries and backoff take milliseconds, not seconds. */
export async function startTelegramTest(
  options: { publicUrl?: string | null; maxRetries?: number; webhookSecret?: string | null; config?: Partial<Config>; clock?: () => Date } = {},
) {
  const fake = await FakeTelegramServer.start();
  const telegram: Config["telegram"] = {
    token: fake.token,
    apiRoot: fake.apiRoot,
    webhookSecret: options.webhookSecret === undefined ? WEBHOOK_SECRET : options.webhookSecret,
    limits: { perSecond: 200, perChatPerSecond: 100, maxRetries: options.maxRetries ?? 2, backoffMs: 10 },
  };
  const server = await startTestServer({ clock: options.clock, config: { ...options.config, telegram, publicUrl: options.publicUrl ?? null } });
  const runtime = server.services.chatChannels.find((c) => c.channel === "telegram")!;
  return new TelegramTest(server, fake, runtime);
}

export class TelegramTest {
  private nextUpdateId = 100_000;
  private nextMessageId = 1;

  constructor(
    readonly server: TestServer,
    readonly fake: FakeTelegramServer,
    readonly runtime: ChatChannelRuntime,
  ) {}

  /** How updates reach the service: POST /webhooks/telegram, or queued for getUpdates. */
  mode: "webhook" | "polling" = "webhook";

  user(id: number, firstName = "Test"): TelegramUser {
    return new TelegramUser(this, id, firstName);
  }

  updateId(): number {
    return this.nextUpdateId++;
  }

  messageId(): number {
    return this.nextMessageId++;
  }

  /** POSTs a body to the webhook as Telegram would, with the secret unless told otherwise. */
  post(body: unknown, secret: string | null = WEBHOOK_SECRET): Promise<Response> {
    return fetch(`${this.server.baseUrl}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  /** The recorded row of an update, or undefined. */
  inboundRow(updateId: number): Promise<{ status: string; attempts: number; payload: string | null } | undefined> {
    return this.server.services.db.sql.get(`SELECT status, attempts, payload FROM InboundUpdate WHERE channel = 'telegram' AND updateKey = ?`, [String(updateId)]);
  }

  async inboundCount(): Promise<number> {
    return (await this.server.services.db.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM InboundUpdate WHERE channel = 'telegram'`))!.n;
  }

  /** Waits until the update has been handled once: sent (done), or an attempt failed and it is left for a retry. */
  async handled(updateId: number): Promise<{ status: string; attempts: number }> {
    return waitFor<{ status: string; attempts: number }>(async () => {
      const row = await this.inboundRow(updateId);
      return row && (row.status === "done" || row.status === "failed" || row.attempts > 0) ? row : undefined;
    }, `update ${updateId} to be handled`);
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.fake.close();
  }
}

/** A person in a private chat with the bot. */
export class TelegramUser {
  /** Answer the first-contact personal-data notice with "Đồng ý" (off to test the notice itself). */
  acceptsNotice = true;

  constructor(
    private readonly test: TelegramTest,
    readonly id: number,
    readonly firstName: string,
  ) {}

  private get chat() {
    return { id: this.id, type: "private" as const, first_name: this.firstName };
  }

  private get from() {
    return { id: this.id, is_bot: false, first_name: this.firstName };
  }

  messageUpdate(fields: Record<string, unknown>): Record<string, any> {
    return { update_id: this.test.updateId(), message: { message_id: this.test.messageId(), date: now(), chat: this.chat, from: this.from, ...fields } };
  }

  textUpdate(text: string) {
    return this.messageUpdate({ text });
  }

  contactUpdate(phone: string, ownerId: number = this.id) {
    return this.messageUpdate({ contact: { phone_number: phone, first_name: "Contact", user_id: ownerId } });
  }

  /** A press of the button with `data` on the last message that had buttons, as Telegram sends it back. */
  pressUpdate(data: string): Record<string, any> {
    const withButtons = this.test.fake.delivered(this.id).filter((c) => c.payload.reply_markup?.inline_keyboard).at(-1);
    if (!withButtons) throw new Error(`no message with buttons was sent to ${this.id}`);
    return {
      update_id: this.test.updateId(),
      callback_query: {
        id: `cq-${this.id}-${this.test.updateId()}`,
        from: this.from,
        chat_instance: `ci-${this.id}`,
        data,
        message: { message_id: this.test.messageId(), date: now(), chat: this.chat, from: { id: 123, is_bot: true, first_name: "AnSinh" }, text: withButtons.payload.text, reply_markup: withButtons.payload.reply_markup },
      },
    };
  }

  /** Sends an update the way the test's mode says and waits until it is handled; the messages it brought. */
  async send(update: Record<string, any>): Promise<RecordedCall[]> {
    const before = this.test.fake.delivered(this.id).length;
    if (this.test.mode === "webhook") {
      const response = await this.test.post(update);
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    } else {
      this.test.fake.pushUpdate(update);
    }
    await this.test.handled(update.update_id);
    const answer = this.test.fake.delivered(this.id).slice(before);
    // Only when the notice is the screen waiting for an answer (a global word sent first goes past it).
    if (this.acceptsNotice && answer.length && isConsentNotice(textOf(answer.at(-1)!))) return this.press("1");
    return answer;
  }

  say(text: string) {
    return this.send(this.textUpdate(text));
  }

  /** Presses choice `number` (or a navigation button: "0", "00") on the last menu. */
  press(number: string) {
    return this.send(this.pressUpdate(number === "0" ? "n:0" : number === "00" ? "n:00" : `c:${number}`));
  }

  shareContact(phone: string, ownerId?: number) {
    return this.send(this.contactUpdate(phone, ownerId));
  }

  /** /start, citizen ID, date of birth: the main menu of a person with no phone on record. */
  async identifyByCitizenId(citizenId = "020190003333", dateOfBirth = "04/04/1990"): Promise<RecordedCall[]> {
    await this.say("/start");
    await this.say(citizenId);
    return this.say(dateOfBirth);
  }
}

/** Polls `probe` until it returns a value, failing after a deadline: no fixed sleeps. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, deadlineMs = DEADLINE_MS): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The text a person reads in a message (the bot sends escaped HTML). */
export function textOf(call: RecordedCall): string {
  return String(call.payload.text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Labels of the inline buttons of a message. */
export function buttonsOf(call: RecordedCall): string[] {
  return (call.payload.reply_markup?.inline_keyboard ?? []).flat().map((b: { text: string }) => b.text);
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
