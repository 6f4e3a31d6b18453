import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/fakeZaloServer.ts";
import { startTelegramTest, textOf, type TelegramTest } from "../channels/telegram/telegramTestKit.ts";
import { inboundStatus, postWebhook, startZaloTest, zaloUpdate, type ZaloTest } from "../channels/zalo/zaloPerson.ts";
import { countOf } from "../helpers/rows.ts";

// A platform that did not see its webhook answered in time sends the update again, and the resends
// arrive out of order: after later updates of the same chat and among another chat's. The update
// that confirms a method change, sent three times so, is answered once and records one request;
// the updates around it are each answered once too.
const CONFIRMED = /Đã ghi nhận yêu cầu số YC[A-Z0-9]{8}/;

describe("Telegram resends an update three times, out of order", () => {
  let test: TelegramTest;
  beforeAll(async () => {
    test = await startTelegramTest();
  });
  afterAll(async () => {
    await test?.close();
  });

  it("one answer and one method-change request; the same chat's later update and another chat's are answered once each", async () => {
    const mai = test.user(8101);
    const other = test.user(8102);
    await mai.identifyByCitizenId();
    for (const step of ["2", "1", "Agribank"]) await mai.say(step);
    expect(textOf((await mai.say("0123456789012")).at(-1)!)).toContain("***9012");
    await other.say("/start");

    const confirm = mai.textUpdate("1");
    const later = mai.textUpdate("00"); // the same chat goes on to the main menu
    const otherId = other.textUpdate("020050001234");
    const maiBefore = test.fake.delivered(8101).length;
    const otherBefore = test.fake.delivered(8102).length;

    const statuses: number[] = [];
    for (const body of [confirm, otherId, confirm, later, confirm]) statuses.push((await test.post(body)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const update of [confirm, later, otherId]) await waitFor(async () => (await test.inboundRow(update.update_id))?.status === "done", `update ${update.update_id}`);
    // A resend after everything was handled changes nothing either.
    expect((await test.post(confirm)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const maiAnswers = test.fake.delivered(8101).slice(maiBefore).map(textOf);
    expect(maiAnswers).toHaveLength(2);
    expect(maiAnswers[0]).toMatch(CONFIRMED);
    expect(maiAnswers[1]).not.toMatch(CONFIRMED);
    expect(test.fake.delivered(8102).slice(otherBefore)).toHaveLength(1);
    const { query } = test.server.services.db;
    expect(await countOf(query, "MethodChangeRequest", { channel: "telegram" })).toBe(1);
    expect(await countOf(query, "InboundUpdate", { channel: "telegram", updateKey: String(confirm.update_id) })).toBe(1);
  });
});

describe("Zalo resends an update three times, out of order", () => {
  let test: ZaloTest;
  beforeAll(async () => {
    test = await startZaloTest();
  });
  afterAll(async () => {
    await test?.close();
  });

  it("one answer and one method-change request; the same chat's later update and another chat's are answered once each", async () => {
    const mai = test.person("zr-mai");
    const other = test.person("zr-other");
    await mai.say("Xin chào");
    await mai.say("020190003333");
    await mai.say("04/04/1990");
    for (const step of ["2", "1", "Agribank"]) await mai.say(step);
    expect(await mai.say("0123456789012")).toContain("***9012");
    await other.say("Xin chào");

    const confirm = zaloUpdate("zr-mai", "message.text.received", { text: "1" });
    const later = zaloUpdate("zr-mai", "message.text.received", { text: "00" });
    const otherId = zaloUpdate("zr-other", "message.text.received", { text: "020050001234" });
    const maiBefore = test.fake.textsTo("zr-mai").length;
    const otherBefore = test.fake.textsTo("zr-other").length;

    // Zalo wraps some deliveries ({ ok, result }) and not others: the resends come both ways.
    const statuses: number[] = [];
    for (const body of [{ ok: true, result: confirm }, otherId, confirm, { ok: true, result: later }, { ok: true, result: confirm }]) {
      statuses.push((await postWebhook(test.server, body)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const update of [confirm, later, otherId]) {
      const key = `${update.event_name}:${update.message.message_id}`;
      await waitFor(async () => (await inboundStatus(test.server, key)) === "done", key);
    }
    expect((await postWebhook(test.server, confirm)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const maiAnswers = test.fake.textsTo("zr-mai").slice(maiBefore);
    expect(maiAnswers).toHaveLength(2);
    expect(maiAnswers[0]).toMatch(CONFIRMED);
    expect(maiAnswers[1]).not.toMatch(CONFIRMED);
    expect(test.fake.textsTo("zr-other").slice(otherBefore)).toHaveLength(1);
    const { query } = test.server.services.db;
    expect(await countOf(query, "MethodChangeRequest", { channel: "zalo" })).toBe(1);
    expect(await countOf(query, "InboundUpdate", { channel: "zalo", updateKey: `message.text.received:${confirm.message.message_id}` })).toBe(1);
  });
});
