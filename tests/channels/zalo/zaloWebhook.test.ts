import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatChannelRuntime } from "../../../src/channels/chat/chatChannelRuntime.ts";
import { waitFor, zaloAnswers } from "../../helpers/fakeZaloServer.ts";
import { UssdCaller } from "../../helpers/testServer.ts";
import { inboundStatus, postWebhook, startZaloTest, zaloUpdate, ZaloPerson, ZALO_TEST_SECRET, ZALO_TEST_TOKEN, type ZaloTest } from "./zaloPerson.ts";
import { countOf, rowOf, rowsOf } from "../../helpers/rows.ts";

let test: ZaloTest;
beforeAll(async () => {
  test = await startZaloTest();
});
afterAll(async () => {
  await test?.close();
});

const query = () => test.server.services.db.query;
const zalo = () => test.server.services.chatChannels.find((c) => c.channel === "zalo") as ChatChannelRuntime;
const person = (chatId: string, transport: "webhook-wrapped" | "webhook-unwrapped" = "webhook-wrapped") => test.person(chatId, transport);

/** Identifies with the demo citizen ID and date of birth; returns the main menu. */
async function identify(who: ZaloPerson, citizenId = "020190003333", dateOfBirth = "04/04/1990"): Promise<string> {
  const ask = await who.say("Xin chào");
  expect(ask).toContain("Nhập số CCCD");
  expect(await who.say(citizenId)).toContain("ngày sinh");
  return who.say(dateOfBirth);
}

describe("POST /webhooks/zalo: a whole conversation", () => {
  const mai = () => person("zu-mai-0a1b2c");

  it("identifies by citizen ID and date of birth, then shows the main menu as numbered lines", async () => {
    const menu = await identify(mai());
    expect(menu).toContain("AnSinh - Đinh Thị Mai (DEMO)");
    expect(menu).toMatch(/1\. Xem tiền trợ cấp\n2\. Cách nhận tiền\n3\. Nhắc lịch nhận tiền\n4\. Hướng dẫn\n5\. Ngôn ngữ\/Language\n6\. Gặp cán bộ/);
    expect(menu).toContain("00. Menu chính");
    const identity = await rowOf(query(), "ChannelIdentity", { channel: "zalo", externalId: "zu-mai-0a1b2c" });
    expect(identity?.verification).toBe("citizen_id_dob");
    // The citizen ID someone typed is not kept in the message log.
    const logged = await rowsOf(query(), "MessageLog", { externalId: "zu-mai-0a1b2c" });
    expect(logged.map((m) => m.text).join("\n")).not.toContain("020190003333");
  });

  it("shows the payment status, by number or by words", async () => {
    const status = await mai().say("1");
    expect(status.startsWith("Kỳ 12/2026: Sẽ chi trả ngày 06/12/2026, chuyển khoản ngân hàng.")).toBe(true);
    expect(status).toContain("Số tiền: 500.000 đ");
    expect(status).toContain("VietinBank ***4567");
    expect(status).toContain("0. Quay lại · 00. Menu chính");
    expect(await mai().say("00")).toContain("1. Xem tiền trợ cấp");
    expect(await mai().say("xem tiền")).toContain("Kỳ 12/2026");
  });

  it("records a method change with the account masked in every message", async () => {
    await mai().say("00");
    expect(await mai().say("2")).toContain("Đang nhận: chuyển khoản ngân hàng.");
    expect(await mai().say("1")).toContain("1. Agribank");
    expect(await mai().say("Agribank")).toContain("Nhập số tài khoản");
    const confirm = await mai().say("0123456789012");
    expect(confirm).toContain("Nhận qua Agribank, tài khoản ***9012?");
    const done = await mai().say("1");
    expect(done).toMatch(/Đã ghi nhận yêu cầu số YC[A-Z0-9]{8}/);
    const requests = await rowsOf(query(), "MethodChangeRequest", { channel: "zalo" });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ requestedMethod: "bank", accountProvider: "Agribank", accountLast4: "9012", status: "pending", verification: "citizen_id_dob" });
    expect(requests[0].accountNumberSealed).not.toContain("0123456789012");
    expect(test.fake.textsTo("zu-mai-0a1b2c").join("\n")).not.toContain("0123456789012");
  });

  it("switches reminders off for this Zalo identity", async () => {
    await mai().say("00");
    expect(await mai().say("3")).toContain("Nhắc lịch nhận tiền đang BẬT.");
    expect(await mai().say("1")).toContain("Đã tắt nhắc lịch");
    const identity = await rowOf(query(), "ChannelIdentity", { channel: "zalo", externalId: "zu-mai-0a1b2c" });
    expect(identity?.remindersOn).toBe(0);
  });

  it("records a request to talk to a person, answered here", async () => {
    await mai().say("00");
    expect(await mai().say("6")).toContain("Gửi yêu cầu gặp cán bộ?");
    const done = await mai().say("1");
    expect(done).toContain("Cán bộ sẽ trả lời bạn tại đây trong giờ hành chính.");
    const escalations = await rowsOf(query(), "Escalation", { channel: "zalo", externalId: "zu-mai-0a1b2c" });
    expect(escalations).toHaveLength(1);
    expect(escalations[0].transcript).not.toContain("020190003333");
  });

  it("works the same with unwrapped bodies", async () => {
    const other = person("zu-unwrapped-1", "webhook-unwrapped");
    expect(await identify(other, "020050001234", "05/03/1950")).toContain("Nguyễn Văn An (DEMO)");
  });

  it("reaches the same records as the same person on USSD", async () => {
    const an = person("zu-an-77");
    await identify(an, "020050001234", "05/03/1950");
    const onZalo = await an.say("1");
    const phone = new UssdCaller(test.server.baseUrl, "+84912345678");
    await phone.freshDial();
    const onUssd = await phone.press("1");
    expect(onZalo).toContain("Kỳ 12/2026: Nhận tiền mặt ngày 05/12/2026");
    expect(onUssd.screen).toContain("Ky 12/2026: Nhan tien mat ngay 05/12/2026");
  });
});

describe("POST /webhooks/zalo: refusals", () => {
  it.each([
    ["a missing secret", null, 401],
    ["a forged secret", "a-secret-of-8-", 403],
    ["an empty secret", "", 401],
  ])("refuses %s and records nothing", async (_name, secret, status) => {
    const update = zaloUpdate("zu-forged", "message.text.received", { text: "1" });
    const response = await postWebhook(test.server, { ok: true, result: update }, secret);
    expect(response.status).toBe(status);
    expect(await inboundStatus(test.server, `message.text.received:${update.message.message_id}`)).toBeUndefined();
    expect(test.fake.textsTo("zu-forged")).toEqual([]);
  });

  it.each([
    ["bad JSON", "{not json", /Bad request/],
    ["an array", [1, 2], /body must be an object/],
    ["no message", { event_name: "message.text.received" }, /message is required/],
    ["a numeric chat id", { event_name: "message.text.received", message: { ...zaloUpdate("x", "message.text.received", { text: "1" }).message, chat: { id: 7, chat_type: "PRIVATE" } } }, /message.chat.id must be a string/],
    ["a wrapped body that is not ok", { ok: false, result: zaloUpdate("zu-bad", "message.text.received", { text: "1" }) }, /ok must be true/],
  ])("answers %s with 400 and a reason", async (_name, body, reason) => {
    const before = await countOf(query(), "InboundUpdate");
    const response = await postWebhook(test.server, body);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(reason);
    expect(await countOf(query(), "InboundUpdate")).toBe(before);
  });

  it("answers 200 to a group message and leaves it alone", async () => {
    const update = zaloUpdate("zu-group", "message.text.received", { text: "1", chat: { id: "zu-group", chat_type: "GROUP" } });
    expect((await postWebhook(test.server, update)).status).toBe(200);
    expect(await inboundStatus(test.server, `message.text.received:${update.message.message_id}`)).toBeUndefined();
  });
});

describe("POST /webhooks/zalo: what platforms do", () => {
  it("answers an update sent three times, interleaved with others, once, with one effect", async () => {
    const dupe = person("zu-dupe-9");
    const other = person("zu-dupe-other");
    await identify(dupe, "020050001234", "05/03/1950");
    await identify(other);
    await dupe.say("6");
    await other.say("6");
    const repeated = zaloUpdate("zu-dupe-9", "message.text.received", { text: "1" });
    const otherConfirm = zaloUpdate("zu-dupe-other", "message.text.received", { text: "1" });
    const before = test.fake.textsTo("zu-dupe-9").length;
    const statuses = [];
    for (const body of [{ ok: true, result: repeated }, repeated, { ok: true, result: otherConfirm }, { ok: true, result: repeated }]) {
      statuses.push((await postWebhook(test.server, body)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    await waitFor(async () => (await inboundStatus(test.server, `message.text.received:${repeated.message.message_id}`)) === "done", "the repeated update");
    await waitFor(async () => (await inboundStatus(test.server, `message.text.received:${otherConfirm.message.message_id}`)) === "done", "the other update");
    const answers = test.fake.textsTo("zu-dupe-9").slice(before);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain("Đã ghi nhận yêu cầu gặp cán bộ.");
    expect(await countOf(query(), "Escalation", { externalId: "zu-dupe-9" })).toBe(1);
    expect(await countOf(query(), "Escalation", { externalId: "zu-dupe-other" })).toBe(1);
    expect(await countOf(query(), "InboundUpdate", { updateKey: `message.text.received:${repeated.message.message_id}` })).toBe(1);
  });

  it("answers an image, a sticker or an unsupported message politely, in the person's language", async () => {
    const vi = person("zu-sticker-vi");
    const first = await vi.sendSticker();
    expect(first).toContain("Xin lỗi, tôi chỉ đọc được chữ. Hãy gõ hoặc chọn một số trong danh sách.");
    expect(first).toContain("Nhập số CCCD");

    const en = person("zu-english-1");
    await identify(en, "020050001234", "05/03/1950");
    await en.say("5");
    expect(await en.say("2")).toContain("1. My payment");
    for (const answer of [await en.sendImage(), await en.sendSticker(), await en.sendUnsupported()]) {
      expect(answer).toContain("Sorry, I can only read text. Please type, or choose a number from the list.");
      expect(answer).toContain("1. My payment");
      expect(answer).not.toContain("Xin lỗi");
    }
  });

  it("waits out a 429 for as long as retry_after says, then delivers", async () => {
    const waiting = person("zu-429");
    waiting.acceptsNotice = false; // one answer, the first-contact notice: one 429 and one delivery
    test.fake.answerNext("sendMessage", zaloAnswers.rateLimited(1));
    const answer = await waiting.say("Xin chào");
    expect(answer).toContain("Thông báo về dữ liệu cá nhân");
    const calls = test.fake.callsTo("sendMessage").filter((c) => c.payload.chat_id === "zu-429");
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
  });

  it("splits a message the bot starts over 2000 characters", async () => {
    const text = Array.from({ length: 30 }, (_, i) => `Thông báo ${i + 1}: ${"nội dung ".repeat(20).trim()}.`).join("\n\n");
    expect(text.length).toBeGreaterThan(4000);
    await zalo().adapter.notify("zu-notice", text);
    const parts = test.fake.textsTo("zu-notice");
    expect(parts.length).toBe(Math.ceil(text.length / 2000));
    expect(parts.join("\n\n")).toBe(text);
  });

  it("keeps an update whose answer could not be sent, and sends it on retry without repeating the effect", async () => {
    const unlucky = person("zu-retry-5");
    await identify(unlucky, "020050001234", "05/03/1950");
    await unlucky.say("6");
    test.fake.answerAlways("sendMessage", zaloAnswers.serverError());
    const confirm = zaloUpdate("zu-retry-5", "message.text.received", { text: "1" });
    const key = `message.text.received:${confirm.message.message_id}`;
    const before = test.fake.textsTo("zu-retry-5").length;
    await unlucky.deliver(confirm);
    const row = async () =>
      (await test.server.services.db.sql.get<{ status: string; attempts: number; lastError: string }>(`SELECT status, attempts, lastError FROM InboundUpdate WHERE channel = 'zalo' AND updateKey = ?`, [key]))!;
    await waitFor(async () => (await row())?.attempts === 1, "the failed attempt to be counted");
    // The conversation has answered (and recorded the escalation); only sending is left to do.
    expect((await row()).status).toBe("answered");
    expect((await row()).lastError).toContain("500");
    expect((await row()).lastError).not.toContain(ZALO_TEST_TOKEN);
    // 1 try + 2 retries, all refused; nothing arrived, but the effect is recorded once.
    expect(test.fake.callsTo("sendMessage").filter((c) => c.payload.chat_id === "zu-retry-5" && c.status === 500)).toHaveLength(3);
    expect(test.fake.textsTo("zu-retry-5").length).toBe(before);
    expect(await countOf(query(), "Escalation", { externalId: "zu-retry-5" })).toBe(1);

    test.fake.recover();
    // The person writes again before the retry: the retry must still send the stored answer,
    // not run the old input again on the new screen.
    await unlucky.deliver(zaloUpdate("zu-retry-5", "message.text.received", { text: "menu" }));
    await waitFor(() => test.fake.textsTo("zu-retry-5").length === before + 1, "the menu answer");
    expect(await zalo().inbound.retryPending(0)).toBeGreaterThanOrEqual(1);
    expect((await row()).status).toBe("done");
    const delivered = test.fake.textsTo("zu-retry-5").slice(before);
    expect(delivered).toHaveLength(2);
    expect(delivered[1]).toContain("Đã ghi nhận yêu cầu gặp cán bộ.");
    expect(await countOf(query(), "Escalation", { externalId: "zu-retry-5" })).toBe(1);
    // A second retry finds nothing left to do.
    await zalo().inbound.retryPending(0);
    expect(test.fake.textsTo("zu-retry-5").slice(before)).toHaveLength(2);
  });

  it("never sent Zalo a text over 2000 characters or an empty one", () => {
    const texts = test.fake.callsTo("sendMessage").map((c) => String(c.payload.text));
    expect(texts.length).toBeGreaterThan(40);
    for (const text of texts) {
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThanOrEqual(2000);
    }
  });
});

describe("start() with PUBLIC_URL: registers the webhook", () => {
  const publicUrl = "https://ansinh.example.org";

  it("registers <PUBLIC_URL>/webhooks/zalo with the configured secret", async () => {
    const own = await startZaloTest({ publicUrl, demo: false });
    try {
      await own.server.services.chatChannels[0].start();
      expect(own.fake.callsTo("setWebhook").map((c) => c.payload)).toEqual([{ url: `${publicUrl}/webhooks/zalo`, secret_token: ZALO_TEST_SECRET }]);
      expect(own.fake.callsTo("getUpdates")).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it("refuses to start in webhook mode without ZALO_WEBHOOK_SECRET, and the webhook refuses every request", async () => {
    const own = await startZaloTest({ publicUrl, demo: false, zalo: { webhookSecret: null } });
    try {
      await expect(own.server.services.chatChannels[0].start()).rejects.toThrow(/ZALO_WEBHOOK_SECRET must be set/);
      expect(own.fake.callsTo("setWebhook")).toHaveLength(0);
      const update = zaloUpdate("zu-no-secret", "message.text.received", { text: "hi" });
      expect((await postWebhook(own.server, update, "anything-at-all")).status).toBe(403);
      expect(await own.server.services.db.sql.get(`SELECT COUNT(*) AS n FROM InboundUpdate`)).toEqual({ n: 0 });
    } finally {
      await own.close();
    }
  });
});
