import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelSender } from "../../../src/channels/outbound/channelSender.ts";
import { ZaloAdapter } from "../../../src/channels/zalo/zaloAdapter.ts";
import { ZaloClient } from "../../../src/channels/zalo/zaloClient.ts";
import { startFakeZaloServer, zaloAnswers, type FakeZaloServer } from "../../helpers/fakeZaloServer.ts";

let fake: FakeZaloServer;
let sender: ChannelSender;
let adapter: ZaloAdapter;
beforeAll(async () => {
  fake = await startFakeZaloServer({ token: "unit-test-token" });
  sender = new ChannelSender("zalo", { perSecond: 200, perChatPerSecond: 100, maxRetries: 0, backoffMs: 10 });
  adapter = new ZaloAdapter(new ZaloClient({ token: "unit-test-token", apiRoot: fake.url }), sender);
});
afterAll(async () => {
  await sender.stop();
  await fake.close();
});

const sentOk = { status: 200, body: { ok: true, result: { message_id: "ok", date: 1 } } };

describe("ZaloAdapter.deliver", () => {
  it("sends the messages of an answer in order, to the chat the update came from", async () => {
    await adapter.deliver({ updateKey: "message.text.received:a1", userId: "zc-order", kind: "text", text: "1" }, ["một", "hai", "ba"]);
    expect(fake.textsTo("zc-order")).toEqual(["một", "hai", "ba"]);
  });

  it("after a failure part-way, a retry sends only the messages not yet sent", async () => {
    const event = { updateKey: "message.text.received:a2", userId: "zc-partial", kind: "text" as const, text: "1" };
    fake.answerNext("sendMessage", sentOk, zaloAnswers.serverError());
    await expect(adapter.deliver(event, ["một", "hai", "ba"])).rejects.toThrow(/500/);
    await adapter.deliver(event, ["một", "hai", "ba"]);
    const calls = fake.callsTo("sendMessage").filter((c) => c.payload.chat_id === "zc-partial");
    expect(calls.map((c) => [c.payload.text, c.status])).toEqual([
      ["một", 200],
      ["hai", 500],
      ["hai", 200],
      ["ba", 200],
    ]);
  });
});
