import { afterEach, describe, expect, it } from "vitest";
import type { ChatChannelRuntime } from "../../../src/channels/chat/chatChannelRuntime.ts";
import { FakeAfricasTalkingSms } from "../../helpers/fakeAfricasTalkingSms.ts";
import { waitFor } from "../../helpers/fakeZaloServer.ts";
import { startTestServer, type TestServer } from "../../helpers/testServer.ts";
import { startTelegramTest } from "../telegram/telegramTestKit.ts";
import { postWebhook, startZaloTest } from "../zalo/zaloPerson.ts";
import { africasTalkingConfig, CALLBACK_SECRET } from "../../sms/smsTestKit.ts";

// Every chat channel stops in one order: no more updates, then the answers in flight, then the
// sender. Stopping the sender first (as Zalo once did) drops the answers still queued behind it.

type Transport = "webhook" | "polling";

/** One channel on its fake platform, driven the same way whatever the platform. */
interface ChannelUnderTest {
  server: TestServer;
  runtime: ChatChannelRuntime;
  /** The platform takes sendMessage calls and does not answer them until `release()`. */
  holdSends(): void;
  heldSends(): number;
  release(): void;
  /** Hands a text from `person` to the bot without waiting for the answer. */
  say(person: number, text: string): Promise<void>;
  /** Messages the platform accepted for `person`. */
  delivered(person: number): number;
  /** A webhook POST of one more text, as the platform would send it. */
  postWebhook(person: number, text: string): Promise<Response>;
  close(): Promise<void>;
}

async function telegram(transport: Transport): Promise<ChannelUnderTest> {
  const test = await startTelegramTest();
  test.mode = transport;
  if (transport === "polling") await test.runtime.start();
  return {
    server: test.server,
    runtime: test.runtime,
    holdSends: () => test.fake.hold("sendMessage"),
    heldSends: () => test.fake.held,
    release: () => test.fake.releaseHeld(),
    async say(person, text) {
      const update = test.user(person).textUpdate(text);
      if (transport === "polling") return test.fake.pushUpdate(update);
      expect((await test.post(update)).status).toBe(200);
    },
    delivered: (person) => test.fake.delivered(person).length,
    postWebhook: (person, text) => test.post(test.user(person).textUpdate(text)),
    close: () => test.close(),
  };
}

async function zalo(transport: Transport): Promise<ChannelUnderTest> {
  const test = await startZaloTest({ emptyPollMs: 100 });
  const runtime = test.server.services.chatChannels.find((c) => c.channel === "zalo")!;
  if (transport === "polling") await runtime.start();
  const person = (id: number) => test.person(`zp-stop-${id}`, transport === "polling" ? "polling" : "webhook-wrapped");
  return {
    server: test.server,
    runtime,
    holdSends: () => test.fake.hold("sendMessage"),
    heldSends: () => test.fake.held,
    release: () => test.fake.releaseHeld(),
    say: (id, text) => person(id).deliver(zaloTextUpdate(id, text)),
    delivered: (id) => test.fake.textsTo(`zp-stop-${id}`).length,
    postWebhook: (id, text) => postWebhook(test.server, zaloTextUpdate(id, text)),
    close: () => test.close(),
  };
}

/** SMS: Africa's Talking posts each incoming message (there is no polling); the answer is one SMS. */
async function sms(): Promise<ChannelUnderTest> {
  const fake = await FakeAfricasTalkingSms.start();
  const server = await startTestServer({ config: { sms: africasTalkingConfig(fake), publicUrl: null } });
  const runtime = server.services.chatChannels.find((c) => c.channel === "sms")!;
  const phone = (id: number) => `+8491234${id}`;
  const post = (id: number, text: string) =>
    fetch(`${server.baseUrl}/sms/africastalking/${CALLBACK_SECRET}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ from: phone(id), to: "8171", text, id: `ATXid_stop_${++messageNumber}`, date: "2026-12-01 10:00:00", linkId: "" }),
    });
  return {
    server,
    runtime,
    holdSends: () => fake.hold(),
    heldSends: () => fake.held,
    release: () => fake.releaseHeld(),
    async say(id, text) {
      expect((await post(id, text)).status).toBe(200);
    },
    delivered: (id) => fake.accepted.filter((call) => call.body.to === phone(id)).length,
    postWebhook: post,
    async close() {
      await server.close();
      await fake.close();
    },
  };
}

let messageNumber = 0;
function zaloTextUpdate(id: number, text: string) {
  const chat = `zp-stop-${id}`;
  return {
    event_name: "message.text.received",
    message: { message_id: `stop-${++messageNumber}`, date: Date.now(), text, from: { id: chat, display_name: "Người thử", is_bot: false }, chat: { id: chat, chat_type: "PRIVATE" } },
  };
}

async function inboundRows(server: TestServer, channel: string) {
  return server.services.db.sql.all<{ status: string; attempts: number }>(`SELECT status, attempts FROM InboundUpdate WHERE channel = ?`, [channel]);
}

let current: ChannelUnderTest | undefined;
afterEach(async () => {
  current?.release();
  await current?.close();
  current = undefined;
});

const PEOPLE = [9101, 9102];

const BOTH: Transport[] = ["webhook", "polling"];

describe.each([
  ["telegram", telegram, BOTH],
  ["zalo", zalo, BOTH],
  ["sms", sms, ["webhook"]], // the provider posts; there is nothing to poll
] as const)("%s: stop() while answers are in flight", (channel, start, transports) => {
  it.each(transports)("over %s: every answer still reaches the platform, then the sender stops", async (transport) => {
    const test = (current = await start(transport));
    test.holdSends();
    // Each person's second message waits behind the first's answer (one person's updates are answered in order).
    for (const person of PEOPLE) {
      await test.say(person, "/start");
      await test.say(person, "020190003333");
    }
    await waitFor(async () => (await inboundRows(test.server, channel)).length === 2 * PEOPLE.length, "every update recorded");
    await waitFor(() => test.heldSends() >= PEOPLE.length, "the first answers at the platform");

    const stopped = test.runtime.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(done, "stop() waits for the answers in flight").toBe(false);

    const releasedAt = Date.now();
    test.release();
    await stopped;
    expect(Date.now() - releasedAt).toBeLessThan(4_000);

    const rows = await inboundRows(test.server, channel);
    expect(rows).toHaveLength(2 * PEOPLE.length);
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => "done"));
    for (const person of PEOPLE) expect(test.delivered(person), `answers to ${person}`).toBeGreaterThanOrEqual(2);
    expect(test.runtime.stop(), "a second stop() (the service's close()) is the same stop").toBe(stopped);

    // Once stopped, the webhook takes nothing more: the platform sends it again later (to the next instance).
    expect((await test.postWebhook(9199, "/start")).status).toBe(503);
    expect(await inboundRows(test.server, channel)).toHaveLength(2 * PEOPLE.length);
  });
});
