import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonsOf, startTelegramTest, textOf, type TelegramTest } from "./telegramTestKit.ts";
import { rowOf, rowsOf } from "../../helpers/rows.ts";

let test: TelegramTest;
beforeAll(async () => {
  test = await startTelegramTest();
});
afterAll(async () => {
  await test.close();
});

const query = () => test.server.services.db.query;
const identity = async (userId: number) => (await rowOf(query(), "ChannelIdentity", { channel: "telegram", externalId: String(userId) }))!;

describe("POST /webhooks/telegram: whole conversations", () => {
  it("identifies by citizen ID and date of birth, then shows the menu as buttons", async () => {
    const user = test.user(5001);
    const [ask] = await user.say("/start");
    expect(textOf(ask)).toContain("Nhập số CCCD (12 số)");
    expect(ask.payload.parse_mode).toBe("HTML");
    // The question offers Telegram's "share my phone number" button.
    expect(ask.payload.reply_markup).toEqual({
      keyboard: [[{ text: "Chia sẻ số điện thoại", request_contact: true }]],
      resize_keyboard: true,
      one_time_keyboard: true,
    });

    const [askDob] = await user.say("020190003333");
    expect(textOf(askDob)).toContain("Nhập ngày sinh");
    // Typed instead of shared: the phone keyboard goes away; navigation is a line of text.
    expect(askDob.payload.reply_markup).toEqual({ remove_keyboard: true });
    expect(textOf(askDob)).toContain("0. Quay lại · 00. Menu chính");

    const [menu] = await user.say("04/04/1990");
    expect(textOf(menu)).toContain("AnSinh - Đinh Thị Mai (DEMO)");
    expect(buttonsOf(menu)).toEqual([
      "1. Xem tiền trợ cấp",
      "2. Cách nhận tiền",
      "3. Nhắc lịch nhận tiền",
      "4. Hướng dẫn",
      "5. Ngôn ngữ/Language",
      "6. Gặp cán bộ",
      "9. Quyền dữ liệu cá nhân",
    ]);
    // With buttons, the choices are not repeated as numbered lines.
    expect(textOf(menu)).not.toContain("1. Xem tiền");
    const data = menu.payload.reply_markup.inline_keyboard.flat().map((b: { callback_data: string }) => b.callback_data);
    expect(data).toEqual(["c:1", "c:2", "c:3", "c:4", "c:5", "c:6", "c:9"]);
    for (const d of data) expect(Buffer.byteLength(d, "utf8")).toBeLessThanOrEqual(64);
    expect((await identity(5001)).verification).toBe("citizen_id_dob");
  });

  it("shows the payment status on a button press and answers the callback query", async () => {
    const user = test.user(5002);
    await user.identifyByCitizenId();
    const press = user.pressUpdate("c:1");
    const [status] = await user.send(press);
    expect(textOf(status).startsWith("Kỳ 12/2026: Sẽ chi trả ngày 06/12/2026, chuyển khoản ngân hàng.")).toBe(true);
    expect(textOf(status)).toContain("Số tiền: 500.000 đ");
    expect(buttonsOf(status)).toContain("0. Quay lại");
    const answered = test.fake.callsOf("answerCallbackQuery").map((c) => c.payload.callback_query_id);
    expect(answered).toContain(press.callback_query.id);

    const [back] = await user.press("0");
    expect(textOf(back)).toContain("AnSinh - Đinh Thị Mai (DEMO)");

    // Typed numbers and labels still work beside the buttons.
    await user.press("1");
    const [menu] = await user.say("00");
    expect(textOf(menu)).toContain("AnSinh - Đinh Thị Mai (DEMO)");
    const [byLabel] = await user.say("xem tien");
    expect(textOf(byLabel)).toContain("Kỳ 12/2026");
  });

  it("identifies by the sender's own shared contact", async () => {
    const user = test.user(5003);
    await user.say("/start");
    const [menu] = await user.shareContact("84912345678");
    expect(textOf(menu)).toContain("AnSinh - Nguyễn Văn An (DEMO)");
    expect((await identity(5003)).verification).toBe("phone");
  });

  it("does not identify by someone else's contact", async () => {
    const user = test.user(5004);
    await user.say("/start");
    const [answer] = await user.shareContact("+84912345678", 999_999);
    expect(textOf(answer)).not.toContain("Nguyễn Văn An");
    // The question is asked again; nothing was identified.
    expect(textOf(answer)).toContain("Nhập số CCCD (12 số)");
    expect((await rowsOf(query(), "ChannelIdentity", { channel: "telegram", externalId: "5004" })).filter((i) => i.beneficiaryId !== null).length).toBe(0);
  });

  it("records a method change with the account masked in every message", async () => {
    const user = test.user(5005);
    await user.identifyByCitizenId();
    await user.press("2");
    const [banks] = await user.press("1");
    expect(buttonsOf(banks)).toContain("1. Agribank");
    const [askAccount] = await user.press("1");
    expect(textOf(askAccount)).toContain("Nhập số tài khoản");
    const [confirm] = await user.say("123456789012");
    expect(textOf(confirm)).toContain("***9012");
    expect(textOf(confirm)).not.toContain("123456789012");
    const [done] = await user.press("1");
    expect(textOf(done)).toContain("Đã ghi nhận yêu cầu số");
    expect(textOf(done)).not.toContain("123456789012");

    const request = (await rowOf(query(), "MethodChangeRequest", { channel: "telegram" }))!;
    expect(request).toMatchObject({ requestedMethod: "bank", accountProvider: "Agribank", accountLast4: "9012", status: "pending" });
    expect((await rowOf(query(), "Beneficiary", { id: request.beneficiaryId }))?.citizenIdLast4).toBe("3333");
    expect(request.accountNumberSealed).not.toContain("123456789012");
  });

  it("turns reminders off for the Telegram identity", async () => {
    const user = test.user(5006);
    await user.identifyByCitizenId();
    const [state] = await user.press("3");
    expect(textOf(state)).toContain("đang BẬT");
    const [off] = await user.press("1");
    expect(textOf(off)).toContain("Đã tắt nhắc lịch");
    expect((await identity(5006)).remindersOn).toBe(0);
  });

  it("opens an escalation when the person asks to talk to a person", async () => {
    const user = test.user(5007);
    await user.identifyByCitizenId();
    const [confirm] = await user.press("6");
    expect(textOf(confirm)).toContain("Gửi yêu cầu gặp cán bộ?");
    const [recorded] = await user.press("1");
    expect(textOf(recorded)).toContain("Cán bộ sẽ trả lời bạn tại đây");
    const escalation = await rowOf(query(), "Escalation", { channel: "telegram", externalId: "5007" });
    expect(escalation?.topic).toBe("human");
  });

  it("answers a photo or a sticker with a hint to type, and ignores edits, groups and bots", async () => {
    const user = test.user(5008);
    await user.say("/start");
    const [hint] = await user.send(user.messageUpdate({ photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }] }));
    expect(textOf(hint)).toContain("Xin lỗi, tôi chỉ đọc được chữ");

    const before = test.fake.calls.length;
    const rowsBefore = await test.inboundCount();
    const edited = { update_id: test.updateId(), edited_message: { message_id: 1, date: 1, edit_date: 2, chat: { id: 5008, type: "private" }, from: { id: 5008, is_bot: false, first_name: "T" }, text: "1" } };
    const group = { update_id: test.updateId(), message: { message_id: 2, date: 1, chat: { id: -100, type: "group", title: "G" }, from: { id: 5008, is_bot: false, first_name: "T" }, text: "1" } };
    const bot = { update_id: test.updateId(), message: { message_id: 3, date: 1, chat: { id: 5009, type: "private", first_name: "B" }, from: { id: 5009, is_bot: true, first_name: "B" }, text: "1" } };
    for (const update of [edited, group, bot]) expect((await test.post(update)).status).toBe(200);
    expect(await test.inboundCount()).toBe(rowsBefore);
    expect(test.fake.calls.length).toBe(before);
  });

  it("refuses a button of an old menu instead of taking whatever has its number now", async () => {
    const user = test.user(5010);
    const [menu] = await user.identifyByCitizenId();
    await user.press("2"); // the method menu is on screen now
    // Button 3 of the main menu above ("Nhắc lịch nhận tiền") is pressed again; 3 on the method
    // menu now on screen is "Tiền mặt tại điểm", which must not be chosen.
    const stale = user.pressUpdate("c:3");
    stale.callback_query.message.reply_markup = menu.payload.reply_markup;
    const [answer] = await user.send(stale);
    expect(textOf(answer)).toContain("Chưa hiểu lựa chọn");
    expect(textOf(answer)).not.toContain("Nhận tiền mặt tại điểm chi trả của xã?");
    // A button of the menu on screen works.
    const [cash] = await user.press("3");
    expect(textOf(cash)).toContain("Nhận tiền mặt tại điểm chi trả của xã?");
  });
});
