import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramTest, textOf, type TelegramTest } from "./telegramTestKit.ts";
import { beneficiaryIdOf, countOf, rowOf } from "../../helpers/rows.ts";

let test: TelegramTest;
beforeAll(async () => {
  test = await startTelegramTest({ maxRetries: 2 });
});
afterAll(async () => {
  await test.close();
});

const query = () => test.server.services.db.query;

describe("Telegram delivery: refusals and failures", () => {
  it("waits out a 429 with retry_after, then delivers", async () => {
    const user = test.user(7001);
    await user.identifyByCitizenId();
    test.fake.fail("sendMessage", { kind: "rate_limited", retryAfter: 1 }, { chatId: 7001 });
    const attemptsBefore = test.fake.callsOf("sendMessage", 7001).length;
    const started = Date.now();
    const [menu] = await user.say("00");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(textOf(menu)).toContain("AnSinh - Đinh Thị Mai (DEMO)");
    expect(test.fake.callsOf("sendMessage", 7001).slice(attemptsBefore).map((c) => c.status)).toEqual([429, 200]);
  });

  it("marks a person who blocked the bot unreachable and does not retry", async () => {
    const user = test.user(7002);
    await user.identifyByCitizenId();
    test.fake.fail("sendMessage", { kind: "blocked" }, { chatId: 7002, times: 10 });
    const attemptsBefore = test.fake.callsOf("sendMessage", 7002).length;
    const update = user.textUpdate("00");
    await user.send(update);
    expect(test.fake.callsOf("sendMessage", 7002).slice(attemptsBefore).map((c) => c.status)).toEqual([403]);
    expect((await test.inboundRow(update.update_id))!.status).toBe("done");
    const identity = await rowOf(query(), "ChannelIdentity", { channel: "telegram", externalId: "7002" });
    expect(identity?.unreachable).toBe(1);
    test.fake.recover();
  });

  it("keeps an update whose answer could not be sent, and retryPending delivers it once, without a second effect", async () => {
    const user = test.user(7003);
    await user.identifyByCitizenId();
    await user.press("6");
    test.fake.fail("sendMessage", { kind: "server_error" }, { chatId: 7003, times: Infinity });
    const attemptsBefore = test.fake.callsOf("sendMessage", 7003).length;
    const confirm = user.pressUpdate("c:1");
    const nothing = await user.send(confirm);
    expect(nothing).toHaveLength(0);
    // The first try and maxRetries (2) more, all 500.
    expect(test.fake.callsOf("sendMessage", 7003).slice(attemptsBefore).map((c) => c.status)).toEqual([500, 500, 500]);
    // Answered but not sent: the answer is kept, so a retry sends it instead of running the step again.
    expect(await test.inboundRow(confirm.update_id)).toMatchObject({ status: "answered", attempts: 1 });
    expect(await countOf(query(), "Escalation", { externalId: "7003" })).toBe(1);

    test.fake.recover();
    const deliveredBefore = test.fake.delivered(7003).length;
    await test.runtime.inbound.retryPending(0);
    const answers = test.fake.delivered(7003).slice(deliveredBefore);
    expect(answers).toHaveLength(1);
    expect(textOf(answers[0])).toContain("Đã ghi nhận yêu cầu gặp cán bộ");
    expect((await test.inboundRow(confirm.update_id))!.status).toBe("done");
    expect(await countOf(query(), "Escalation", { externalId: "7003" })).toBe(1);
  });

  it("sends a message the bot starts itself as plain text", async () => {
    await test.runtime.adapter.notify("7004", "Cán bộ xã: <b> & tiền đã về");
    const [message] = test.fake.delivered(7004);
    expect(message.payload.text).toBe("Cán bộ xã: <b> & tiền đã về");
    expect(message.payload.parse_mode).toBeUndefined();
  });
});

describe("Telegram delivery: what the person reads", () => {
  it("splits an answer over 4096 characters between words, buttons on the last part", async () => {
    const words = Array.from({ length: 700 }, (_, i) => `lỗi${i}`);
    const hoa = await beneficiaryIdOf(query(), "DEMO-0004");
    // A provider's failure reason far longer than any real one: the status screen quotes it.
    await query().updateTable("Payment").set({ status: "failed", paidAt: null, failureReason: words.join(" ") }).where("beneficiaryId", "=", hoa).execute();

    const user = test.user(7005);
    await user.say("/start");
    await user.shareContact("0978111222");
    const parts = await user.press("1");
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) expect(textOf(part).length).toBeLessThanOrEqual(4096);
    for (const part of parts.slice(0, -1)) expect(part.payload.reply_markup).toBeUndefined();
    expect(parts.at(-1)!.payload.reply_markup.inline_keyboard.length).toBeGreaterThan(0);
    // Every word arrives whole, in one part or the other.
    const tokens = parts.flatMap((p) => textOf(p).split(/\s+/));
    for (const word of words) expect(tokens.some((t) => t === word || t === `${word}.`)).toBe(true);
  });

  it("escapes a name with _ * < & so the HTML message stays intact", async () => {
    await query().updateTable("Beneficiary").set({ fullName: "Lê_Văn *Ba* <b>&amp; (DEMO)" }).where("code", "=", "DEMO-0005").execute();
    const user = test.user(7006);
    await user.say("/start");
    const [menu] = await user.shareContact("+84388999000");
    expect(menu.payload.parse_mode).toBe("HTML");
    expect(menu.payload.text).toContain("AnSinh - Lê_Văn *Ba* &lt;b&gt;&amp;amp; (DEMO)");
    expect(textOf(menu)).toContain("AnSinh - Lê_Văn *Ba* <b>&amp; (DEMO)");
  });
});
