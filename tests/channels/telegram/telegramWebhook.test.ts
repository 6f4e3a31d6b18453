import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramTest, textOf, waitFor, WEBHOOK_SECRET, type TelegramTest } from "./telegramTestKit.ts";
import { countOf } from "../../helpers/rows.ts";

let test: TelegramTest;
beforeAll(async () => {
  test = await startTelegramTest();
});
afterAll(async () => {
  await test.close();
});

describe("POST /webhooks/telegram: what is let in", () => {
  it("refuses a missing or forged secret with 401 and records nothing", async () => {
    const user = test.user(6001);
    const before = await test.inboundCount();
    const missing = await test.post(user.textUpdate("/start"), null);
    const forged = await test.post(user.textUpdate("/start"), "s3cret-for_tests-not");
    const shorter = await test.post(user.textUpdate("/start"), WEBHOOK_SECRET.slice(0, -1));
    expect([missing.status, forged.status, shorter.status]).toEqual([401, 401, 401]);
    expect(await test.inboundCount()).toBe(before);
    expect(test.fake.callsOf("sendMessage", 6001)).toHaveLength(0);
  });

  it("answers 400 with a reason to a body that is not an update", async () => {
    const cases: Array<[unknown, string]> = [
      [[], "body must be a JSON object"],
      [{}, "update_id must be a non-negative integer"],
      [{ update_id: "7" }, "update_id must be a non-negative integer"],
      [{ update_id: -1 }, "update_id must be a non-negative integer"],
      [{ update_id: 1.5 }, "update_id must be a non-negative integer"],
    ];
    const before = await test.inboundCount();
    for (const [body, reason] of cases) {
      const response = await test.post(body);
      expect(response.status).toBe(400);
      expect(await response.text()).toBe(`Bad request: ${reason}`);
    }
    expect(await test.inboundCount()).toBe(before);
    const notJson = await test.post("{not json");
    expect(notJson.status).toBe(400);
  });

  it("answers 200 at once and the conversation follows", async () => {
    const user = test.user(6002);
    const update = user.textUpdate("/start");
    const response = await test.post(update);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    await test.handled(update.update_id);
    expect(test.fake.delivered(6002)).toHaveLength(1);
  });
});

describe("POST /webhooks/telegram: resends", () => {
  it("answers an update sent three times (interleaved with others) once, with one effect", async () => {
    const user = test.user(6003);
    const other = test.user(6004);
    await user.identifyByCitizenId();
    await user.press("6"); // "Gửi yêu cầu gặp cán bộ?"
    await other.say("/start");
    const confirm = user.pressUpdate("c:1");
    const otherAnswer = other.textUpdate("020190003333");
    const sentBefore = test.fake.delivered(6003).length;

    // Telegram resends what it did not see answered; here out of order with another chat's update.
    const statuses = [];
    for (const body of [confirm, otherAnswer, confirm, confirm]) statuses.push((await test.post(body)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    await test.handled(confirm.update_id);
    await test.handled(otherAnswer.update_id);

    const answers = test.fake.delivered(6003).slice(sentBefore);
    expect(answers).toHaveLength(1);
    expect(textOf(answers[0])).toContain("Đã ghi nhận yêu cầu gặp cán bộ");
    expect(await countOf(test.server.services.db.query, "Escalation", { channel: "telegram", externalId: "6003" })).toBe(1);
    expect(test.fake.callsOf("answerCallbackQuery").filter((c) => c.payload.callback_query_id === confirm.callback_query.id)).toHaveLength(1);
    expect(textOf(test.fake.delivered(6004).at(-1)!)).toContain("Nhập ngày sinh");

    // A resend after the update was handled is refused by its update_id too.
    expect((await test.post(confirm)).status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(test.fake.delivered(6003).slice(sentBefore)).toHaveLength(1);
  });

  it("erases the update's payload once handled (it may hold a typed ID number)", async () => {
    const user = test.user(6005);
    const update = user.textUpdate("020190003333");
    await user.send(update);
    await waitFor(async () => (await test.inboundRow(update.update_id))?.status === "done", "the update to be done");
    expect((await test.inboundRow(update.update_id))!.payload).toBeNull();
  });
});
