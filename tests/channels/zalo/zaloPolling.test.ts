import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZaloClient } from "../../../src/channels/zalo/zaloClient.ts";
import { ZaloPolling } from "../../../src/channels/zalo/zaloPolling.ts";
import { startFakeZaloServer, waitFor, zaloAnswers } from "../../helpers/fakeZaloServer.ts";
import { inboundStatus, startZaloTest, zaloUpdate, type ZaloTest } from "./zaloPerson.ts";
import { countOf, rowOf, rowsOf } from "../../helpers/rows.ts";

let test: ZaloTest;
beforeAll(async () => {
  test = await startZaloTest({ emptyPollMs: 100 });
  await test.server.services.chatChannels[0].start();
});
afterAll(async () => {
  await test?.close();
});

const query = () => test.server.services.db.query;

describe("long polling (no PUBLIC_URL): a whole conversation", () => {
  const mai = () => test.person("zp-mai-3f", "polling");

  it("deletes the webhook first, then polls getUpdates", async () => {
    await waitFor(() => test.fake.callsTo("getUpdates").length >= 2, "two polls");
    expect(test.fake.calls[0].method).toBe("deleteWebhook");
    expect(test.fake.callsTo("setWebhook")).toEqual([]);
    // Empty polls end with 408, and the loop just asks again.
    expect(test.fake.callsTo("getUpdates").some((c) => c.status === 408)).toBe(true);
  });

  it("identifies, shows the payment, changes the method, switches reminders off and asks for a person", async () => {
    const who = mai();
    expect(await who.say("chào")).toContain("Nhập số CCCD");
    await who.say("020190003333");
    expect(await who.say("04041990")).toContain("AnSinh - Đinh Thị Mai (DEMO)");
    expect(await who.say("1")).toContain("Kỳ 12/2026: Sẽ chi trả ngày 06/12/2026");

    await who.say("00");
    await who.say("2");
    expect(await who.say("2")).toContain("1. Viettel Money");
    await who.say("1");
    const confirm = await who.say("0912 000 111");
    expect(confirm).toContain("Viettel Money");
    expect(await who.say("1")).toMatch(/Đã ghi nhận yêu cầu số YC[A-Z0-9]{8}/);
    const requests = await rowsOf(query(), "MethodChangeRequest", { channel: "zalo" });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ requestedMethod: "mobile_money", accountProvider: "Viettel Money", walletPhone: "+84912000111", verification: "citizen_id_dob" });

    await who.say("00");
    await who.say("3");
    expect(await who.say("1")).toContain("Đã tắt nhắc lịch");
    const identity = await rowOf(query(), "ChannelIdentity", { channel: "zalo", externalId: "zp-mai-3f" });
    expect(identity?.remindersOn).toBe(0);

    await who.say("00");
    await who.say("6");
    expect(await who.say("1")).toContain("Cán bộ sẽ trả lời bạn tại đây");
    expect(await countOf(query(), "Escalation", { channel: "zalo", externalId: "zp-mai-3f" })).toBe(1);
  });

  it("answers an update served twice once", async () => {
    const who = mai();
    await who.say("00");
    const update = zaloUpdate("zp-mai-3f", "message.text.received", { text: "6" });
    const before = test.fake.textsTo("zp-mai-3f").length;
    test.fake.pushUpdate(update);
    test.fake.pushUpdate(update);
    await waitFor(async () => (await inboundStatus(test.server, `message.text.received:${update.message.message_id}`)) === "done", "the answer");
    // The second copy was served to a later poll; once the loop has polled again, it has been refused.
    await waitFor(() => {
      const statuses = test.fake.callsTo("getUpdates").map((c) => c.status);
      return test.fake.pendingUpdates() === 0 && statuses.lastIndexOf(200) < statuses.length - 1;
    }, "both copies served and the loop polling again");
    expect(test.fake.textsTo("zp-mai-3f").slice(before)).toHaveLength(1);
  });

  it("skips a malformed update and keeps polling after Zalo fails", async () => {
    test.fake.pushUpdate({ event_name: "message.text.received", message: { message_id: 5 } });
    test.fake.answerNext("getUpdates", zaloAnswers.serverError(), zaloAnswers.serverError());
    const who = test.person("zp-after-errors", "polling");
    expect(await who.say("chào")).toContain("Nhập số CCCD");
    expect(test.fake.callsTo("getUpdates").filter((c) => c.status === 500)).toHaveLength(2);
  });

  it("answers a sticker with the hint to type", async () => {
    const who = test.person("zp-sticker", "polling");
    expect(await who.sendSticker()).toContain("Xin lỗi, tôi chỉ đọc được chữ.");
  });
});

describe("ZaloPolling", () => {
  it("stops promptly while a poll is held open", async () => {
    const slow = await startFakeZaloServer({ token: "unit-test-token", emptyPollMs: 20_000 });
    try {
      const polling = new ZaloPolling(new ZaloClient({ token: "unit-test-token", apiRoot: slow.url }), () => {}, { timeoutSeconds: 30, backoffMs: 10 });
      polling.start();
      await waitFor(() => slow.callsTo("getUpdates").length === 1, "the poll");
      const started = Date.now();
      await polling.stop();
      expect(Date.now() - started).toBeLessThan(500);
      expect(slow.callsTo("getUpdates")).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it("treats an empty result as nothing new and takes an array one update at a time", async () => {
    const odd = await startFakeZaloServer({ token: "unit-test-token", emptyPollMs: 50 });
    try {
      const seen: unknown[] = [];
      odd.answerNext("getUpdates", { status: 200, body: { ok: true, result: null } }, { status: 200, body: { ok: true, result: {} } }, { status: 200, body: { ok: true, result: [{ n: 1 }, { n: 2 }] } });
      odd.pushUpdate({ n: 3 });
      const polling = new ZaloPolling(new ZaloClient({ token: "unit-test-token", apiRoot: odd.url }), (update) => void seen.push(update), { timeoutSeconds: 1, backoffMs: 10 });
      polling.start();
      await waitFor(() => seen.length === 3, "three updates");
      await polling.stop();
      expect(seen).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    } finally {
      await odd.close();
    }
  });

  it("backs off after failures instead of hammering, and never gives up", async () => {
    const broken = await startFakeZaloServer({ token: "unit-test-token" });
    try {
      broken.answerAlways("deleteWebhook", zaloAnswers.serverError());
      const polling = new ZaloPolling(new ZaloClient({ token: "unit-test-token", apiRoot: broken.url }), () => {}, { timeoutSeconds: 1, backoffMs: 20 });
      polling.start();
      await waitFor(() => broken.callsTo("deleteWebhook").length >= 4, "four attempts");
      const at = broken.callsTo("deleteWebhook").map((c) => c.at);
      // 20, 40, 80 ms apart (allowing for timer slack).
      expect(at[3] - at[2]).toBeGreaterThanOrEqual(70);
      broken.recover();
      await waitFor(() => broken.callsTo("getUpdates").length >= 1, "polling after recovery");
      await polling.stop();
    } finally {
      await broken.close();
    }
  });
});
