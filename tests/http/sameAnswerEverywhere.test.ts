import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { foldDiacritics } from "../../src/shared/text.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startFakeZaloServer, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { TelegramTest, textOf, WEBHOOK_SECRET } from "../channels/telegram/telegramTestKit.ts";
import { zaloConfig, ZaloPerson } from "../channels/zalo/zaloPerson.ts";
import { beneficiaryIdOf, rowsOf } from "../helpers/rows.ts";

// One service with all three channels. Nguyễn Văn An (DEMO) asks the same things by USSD (known
// by his phone), on Telegram (sharing his own contact) and on Zalo (citizen ID and date of birth).
let server: TestServer;
let telegramFake: FakeTelegramServer;
let zaloFake: FakeZaloServer;
let telegram: TelegramTest;

beforeAll(async () => {
  telegramFake = await FakeTelegramServer.start();
  zaloFake = await startFakeZaloServer({ token: "zalo-test-token" });
  server = await startTestServer({
    config: {
      telegram: { token: telegramFake.token, apiRoot: telegramFake.apiRoot, webhookSecret: WEBHOOK_SECRET, limits: { perSecond: 200, perChatPerSecond: 100, maxRetries: 2, backoffMs: 10 } },
      ...zaloConfig(zaloFake.url),
    },
  });
  telegram = new TelegramTest(server, telegramFake, server.services.chatChannels.find((c) => c.channel === "telegram")!);
});
afterAll(async () => {
  await server.close();
  await telegramFake.close();
  await zaloFake.close();
});

/** The sentences of an answer, compared without diacritics or layout. */
const plain = (text: string) => foldDiacritics(text).replace(/\s+/g, " ");

describe("the same person on USSD, Telegram and Zalo", () => {
  it("reaches the same payment, the same records and the same outcome", async () => {
    const phone = new UssdCaller(server.baseUrl, "+84912345678");
    await phone.dial();
    const ussdStatus = await phone.press("1");

    const tg = telegram.user(5551);
    await tg.say("/start");
    await tg.shareContact("+84912345678");
    const tgStatus = (await tg.press("1")).map(textOf).join("\n");

    const zalo = new ZaloPerson(server, zaloFake, "zalo-an");
    await zalo.say("xin chào");
    await zalo.say("020050001234");
    await zalo.say("05/03/1950");
    const zaloStatus = await zalo.say("1");

    const expected = "Ky 12/2026: Nhan tien mat ngay 05/12/2026 tai Nha van hoa thon Ban Chu. So tien: 1.000.000 d (gom truy linh 250.000 d)";
    for (const answer of [ussdStatus.screen, tgStatus, zaloStatus]) expect(plain(answer)).toContain(expected);

    // The same request from each channel: recorded once, and the other channels are told so.
    const ussdDone = await phone.pressAll("00", "2", "4", "3", "1");
    expect(ussdDone.screen).toMatch(/Da ghi nhan yeu cau so YC/);
    for (const input of ["00", "2", "4", "3"]) await tg.press(input);
    const tgDone = (await tg.press("1")).map(textOf).join("\n");
    for (const input of ["00", "2", "4", "3"]) await zalo.say(input);
    const zaloDone = await zalo.say("1");
    for (const answer of [tgDone, zaloDone]) expect(answer).toContain("Yêu cầu này đã được ghi nhận trước đó và đang chờ xã duyệt.");
    const { query } = server.services.db;
    const requests = await query
      .selectFrom("MethodChangeRequest as r")
      .innerJoin("Beneficiary as b", "b.id", "r.beneficiaryId")
      .select(["b.code", "r.channel", "r.requestedMethod", "r.homeReason", "r.status"])
      .orderBy("r.id")
      .execute();
    expect(requests.map((r) => [r.code, r.channel, r.requestedMethod, r.homeReason, r.status])).toEqual([
      ["DEMO-0001", "ussd", "cash_home", "age", "pending"],
    ]);

    const identities = (await rowsOf(query, "ChannelIdentity", { beneficiaryId: await beneficiaryIdOf(query, "DEMO-0001") })).sort((a, b) => a.channel.localeCompare(b.channel));
    expect(identities.map((i) => i.channel)).toEqual(["telegram", "ussd", "zalo"]);
  });
});
