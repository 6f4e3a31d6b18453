import { afterEach, describe, expect, it } from "vitest";
import { startTelegramTest, textOf, waitFor, WEBHOOK_SECRET, type TelegramTest } from "./telegramTestKit.ts";
import { rowOf } from "../../helpers/rows.ts";

let test: TelegramTest | undefined;
afterEach(async () => {
  await test?.close();
  test = undefined;
});

describe("Telegram without PUBLIC_URL: long polling", () => {
  it("carries whole conversations and confirms updates by moving the offset", async () => {
    test = await startTelegramTest();
    test.mode = "polling";
    await test.runtime.start();
    // A webhook left from an earlier run would make getUpdates answer 409: it is removed first.
    await waitFor(() => test!.fake.callsOf("deleteWebhook").length > 0, "deleteWebhook");
    const user = test.user(8001);

    const [menu] = await user.identifyByCitizenId();
    expect(textOf(menu)).toContain("AnSinh - Đinh Thị Mai (DEMO)");
    const [status] = await user.press("1");
    expect(textOf(status)).toContain("Kỳ 12/2026: Sẽ chi trả ngày 06/12/2026");
    await user.press("00");
    await user.press("3");
    const [off] = await user.press("1");
    expect(textOf(off)).toContain("Đã tắt nhắc lịch");
    const identity = await rowOf(test.server.services.db.query, "ChannelIdentity", { channel: "telegram", externalId: "8001" });
    expect(identity?.remindersOn).toBe(0);

    const polls = test.fake.callsOf("getUpdates");
    expect(polls[0].payload).toMatchObject({ timeout: 25, allowed_updates: ["message", "callback_query"] });
    const offsets = polls.map((c) => c.payload.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(offsets.at(-1)).toBeGreaterThan(100_000);
  });

  it("keeps polling after a failed getUpdates, and stop() ends a pending long poll at once", async () => {
    test = await startTelegramTest();
    test.mode = "polling";
    test.fake.fail("getUpdates", { kind: "server_error" });
    await test.runtime.start();
    const user = test.user(8002);
    const start = user.textUpdate("/start");
    const [ask] = await user.send(start);
    expect(textOf(ask)).toContain("Nhập số CCCD");
    expect(test.fake.callsOf("getUpdates")[0].status).toBe(500);

    // The poll after that update is waiting on the fake server (up to its 25 s) now.
    await waitFor(() => test!.fake.callsOf("getUpdates").at(-1)!.payload.offset > start.update_id, "the next long poll");
    const started = Date.now();
    await test.runtime.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("Telegram with PUBLIC_URL: webhook", () => {
  it("registers the webhook with its secret at start and does not poll", async () => {
    test = await startTelegramTest({ publicUrl: "https://ansinh.example.vn" });
    await test.runtime.start();
    const [registration] = test.fake.callsOf("setWebhook");
    expect(registration.payload).toEqual({
      url: "https://ansinh.example.vn/webhooks/telegram",
      secret_token: WEBHOOK_SECRET,
      allowed_updates: ["message", "callback_query"],
    });
    expect(test.fake.callsOf("getUpdates")).toHaveLength(0);
  });

  it("refuses to start without a webhook secret, and the webhook refuses every request", async () => {
    test = await startTelegramTest({ publicUrl: "https://ansinh.example.vn", webhookSecret: null });
    await expect(test.runtime.start()).rejects.toThrow(/TELEGRAM_WEBHOOK_SECRET must be set/);
    expect(test.fake.callsOf("setWebhook")).toHaveLength(0);
    const response = await test.post(test.user(8003).textUpdate("/start"), "anything");
    expect(response.status).toBe(401);
    expect(await test.inboundCount()).toBe(0);
  });
});
