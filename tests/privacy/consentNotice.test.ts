import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { startTelegramTest, textOf, buttonsOf, type TelegramTest } from "../channels/telegram/telegramTestKit.ts";
import { startZaloTest, type ZaloTest } from "../channels/zalo/zaloPerson.ts";

// The personal-data notice (Law 91/2025/QH15) comes before anything personal, once per chat or
// phone, on every channel, and its answer is kept as evidence with channel, time and version.
const VERSION = "2026-12-v2";
const consents = (sql: TestServer["services"]["db"]["sql"], channel: string, externalId: string) =>
  sql.all<{ decision: string; noticeVersion: string; beneficiaryId: number | null; createdAt: string }>(
    `SELECT decision, noticeVersion, beneficiaryId, createdAt FROM Consent WHERE channel = ? AND externalId = ? ORDER BY id`,
    [channel, externalId],
  );

describe("USSD: the notice before the menu, also for a caller known by their phone", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("shows the notice first (no name), records the yes, and never shows it again", async () => {
    const an = new UssdCaller(server.baseUrl, "+84912345678");
    an.acceptsNotice = false;
    const notice = await an.dial();
    expect(notice.screen).toContain("Thong bao ve du lieu ca nhan");
    expect(notice.screen).not.toContain("Nguyen Van An");
    const whole = await an.pressAndReadAll("99").catch(() => null);
    const text = [notice.screen, ...(whole?.pages.map((p) => p.screen) ?? [])].join("\n");
    expect(text).toContain("9. Quyen du lieu ca nhan");
    expect(text).toContain("nghia vu phap ly");
    const menu = await an.press("1");
    expect(menu.screen).toContain("Nguyen Van An (DEMO)");
    const [consent] = await consents(server.services.db.sql, "ussd", "+84912345678");
    expect(consent).toMatchObject({ decision: "given", noticeVersion: VERSION });
    expect(consent.beneficiaryId).not.toBeNull(); // named once the phone identified them

    const again = await an.dial();
    expect(again.screen).toContain("Nguyen Van An (DEMO)");
    expect(await consents(server.services.db.sql, "ussd", "+84912345678")).toHaveLength(1);
  });

  it("a first dial with keys (*384*123*1#) meets the notice; agreeing answers the keys: this month's payment", async () => {
    const son = new UssdCaller(server.baseUrl, "+84388999000");
    son.acceptsNotice = false;
    const notice = await son.dialWith("1");
    expect(notice.screen).toContain("Thong bao ve du lieu ca nhan");
    const status = await son.press("1");
    expect(status.screen).toMatch(/^Ky 12\/2026: /);
    expect(status.screen).toContain("So tien: ");
    expect((await consents(server.services.db.sql, "ussd", "+84388999000")).map((c) => c.decision)).toEqual(["given"]);
  });

  it("withdrawal: RUT DONG Y stops reminders, opens a request, and the payment status still answers", async () => {
    const an = new UssdCaller(server.baseUrl, "+84912345678");
    await an.freshDial();
    const confirm = await an.press("rut dong y");
    expect(confirm.screen).toContain("Rut dong y");
    const done = await an.press("1");
    expect(done.screen).toMatch(/Da rut dong y \(yeu cau DL[A-Z0-9]{8}\)/);
    const sql = server.services.db.sql;
    expect((await consents(sql, "ussd", "+84912345678")).map((c) => c.decision)).toEqual(["given", "withdrawn"]);
    const identity = await sql.get<{ remindersOn: unknown }>(`SELECT remindersOn FROM ChannelIdentity WHERE channel = 'ussd' AND externalId = ?`, ["+84912345678"]);
    expect(Boolean(identity?.remindersOn)).toBe(false);
    const request = await sql.get<{ kind: string; beneficiaryId: number; communeId: number }>(`SELECT kind, beneficiaryId, communeId FROM PrivacyRequest ORDER BY id DESC LIMIT 1`);
    expect(request).toMatchObject({ kind: "withdrawal" });
    expect(request!.communeId).not.toBeNull();

    const menu = await an.freshDial();
    expect(menu.screen).toContain("Nguyen Van An (DEMO)");
    expect((await an.press("1")).screen).toContain("Ky 12/2026");
  });
});

describe("Telegram: the notice before the citizen ID is asked", () => {
  let test: TelegramTest;
  beforeAll(async () => {
    test = await startTelegramTest();
  });
  afterAll(async () => {
    await test.close();
  });

  it("shows the notice with agree/decline buttons, then asks for the citizen ID", async () => {
    const user = test.user(91_001);
    user.acceptsNotice = false;
    const [notice] = await user.say("/start");
    expect(textOf(notice)).toContain("Thông báo về dữ liệu cá nhân");
    expect(textOf(notice)).not.toContain("CCCD (12 số)");
    expect(buttonsOf(notice)).toEqual(["1. Đồng ý", "2. Không đồng ý"]);
    const answer = await user.press("1");
    expect(answer.map(textOf).join("\n")).toContain("Nhập số CCCD");
    expect(await consents(test.server.services.db.sql, "telegram", "91001")).toMatchObject([{ decision: "given", noticeVersion: VERSION }]);
  });

  it("declining is recorded, turns messages off and still lets the person check the payment", async () => {
    const user = test.user(91_002);
    user.acceptsNotice = false;
    await user.say("/start");
    const answer = (await user.press("2")).map(textOf).join("\n");
    expect(answer).toContain("không đồng ý");
    expect(answer).toContain("Nhập số CCCD");
    expect(await consents(test.server.services.db.sql, "telegram", "91002")).toMatchObject([{ decision: "declined" }]);
    const identity = await test.server.services.db.sql.get<{ remindersOn: unknown }>(`SELECT remindersOn FROM ChannelIdentity WHERE channel = 'telegram' AND externalId = '91002'`);
    expect(Boolean(identity?.remindersOn)).toBe(false);
  });
});

describe("Zalo: the notice at first contact", () => {
  let test: ZaloTest;
  beforeAll(async () => {
    test = await startZaloTest();
  });
  afterAll(async () => {
    await test?.close();
  });

  it("shows the notice as numbered lines, then asks for the citizen ID once agreed", async () => {
    const who = test.person("zu-privacy-1");
    who.acceptsNotice = false;
    const notice = await who.say("Xin chào");
    expect(notice).toContain("Thông báo về dữ liệu cá nhân");
    expect(notice).toContain("1. Đồng ý");
    expect(notice).not.toContain("Nhập số CCCD");
    expect(await who.say("1")).toContain("Nhập số CCCD");
    expect(await consents(test.server.services.db.sql, "zalo", "zu-privacy-1")).toMatchObject([{ decision: "given", noticeVersion: VERSION }]);
  });
});
