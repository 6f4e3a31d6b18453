import { describe, expect, it } from "vitest";
import type { Reply } from "../../../src/engine/types.ts";
import { LOCALES_DIR } from "../../../src/shared/projectPaths.ts";
import { describeTelegramMessages } from "../../../src/channels/telegram/describeTelegramMessages.ts";
import { renderTelegramReply, TELEGRAM_TEXT_LIMIT } from "../../../src/channels/telegram/renderTelegramReply.ts";
import { loadTelegramSentences } from "../../../src/channels/telegram/telegramSentences.ts";

const sentencesFor = loadTelegramSentences(LOCALES_DIR);
const vi = { back: "Quay lại", home: "Menu chính", more: "Xem thêm" };
const en = { back: "Back", home: "Main menu", more: "More" };

function reply(fields: Partial<Reply> = {}): Reply {
  return { locale: fields.nav === en ? "en" : "vi", texts: ["AnSinh - Nguyễn Văn An"], choices: [], expects: "choice", end: false, nav: vi, canGoBack: false, ...fields };
}
const render = (r: Reply) => renderTelegramReply(r, sentencesFor(r));

describe("renderTelegramReply", () => {
  it("puts a menu on inline buttons with short callback data, and navigation in a last row", () => {
    const choices = [
      { number: "1", label: "Xem tiền trợ cấp" },
      { number: "2", label: "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam chi nhánh huyện Tràng Định" },
    ];
    const [message] = render(reply({ choices, canGoBack: true }));
    expect(message.text).toBe("AnSinh - Nguyễn Văn An");
    expect(message.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: "1. Xem tiền trợ cấp", callback_data: "c:1" }],
        [{ text: `2. ${choices[1].label}`, callback_data: "c:2" }],
        [
          { text: "0. Quay lại", callback_data: "n:0" },
          { text: "00. Menu chính", callback_data: "n:00" },
        ],
      ],
    });
    const data = (message.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat().map((b) => b.callback_data);
    for (const d of data) expect(Buffer.byteLength(d, "utf8")).toBeLessThanOrEqual(64);
  });

  it("shows no navigation row where back leads nowhere (the main menu)", () => {
    const [message] = render(reply({ choices: [{ number: "1", label: "Xem tiền trợ cấp" }], canGoBack: false }));
    expect(message.reply_markup).toEqual({ inline_keyboard: [[{ text: "1. Xem tiền trợ cấp", callback_data: "c:1" }]] });
  });

  it("escapes &, < and > in every text, and leaves _ and * alone", () => {
    const [message] = render(reply({ texts: ["AnSinh - Lê_Văn *Ba* <b>Tom & Jerry</b>"], choices: [{ number: "1", label: "A <i>" }] }));
    expect(message.text).toBe("AnSinh - Lê_Văn *Ba* &lt;b&gt;Tom &amp; Jerry&lt;/b&gt;");
    // Button text is not parsed by Telegram: shown as is.
    expect((message.reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard[0][0].text).toBe("1. A <i>");
  });

  it("offers the share-my-phone keyboard in the screen's language", () => {
    const ask = { texts: ["Nhập số CCCD:"], expects: "text" as const, offerContact: true };
    expect(render(reply(ask))[0].reply_markup).toEqual({ keyboard: [[{ text: "Chia sẻ số điện thoại", request_contact: true }]], resize_keyboard: true, one_time_keyboard: true });
    expect(render(reply({ ...ask, nav: en }))[0].reply_markup).toMatchObject({ keyboard: [[{ text: "Share my phone number", request_contact: true }]] });
  });

  it("shows navigation as a line on a question, and removes a leftover keyboard", () => {
    const [message] = render(reply({ texts: ["Nhập ngày sinh:"], expects: "text", canGoBack: true }));
    expect(message.text).toBe("Nhập ngày sinh:\n\n0. Quay lại · 00. Menu chính");
    expect(message.reply_markup).toEqual({ remove_keyboard: true });
  });

  it("splits text over 4096 characters between texts, escaping after the cut, buttons on the last part", () => {
    const first = `${"Tôm & cá ".repeat(400)}`.trim(); // 3,599 characters, 400 ampersands
    const second = "Đoạn hai <dài>. ".repeat(60).trim();
    const messages = render(reply({ texts: [first, second], choices: [{ number: "1", label: "Menu chính" }] }));
    expect(messages).toHaveLength(2);
    expect(messages[0].text).toBe(first.replace(/&/g, "&amp;"));
    expect(messages[0].reply_markup).toBeUndefined();
    expect(messages[1].text.startsWith("Đoạn hai &lt;dài&gt;.")).toBe(true);
    expect(messages[1].reply_markup).toBeDefined();
    const unescaped = messages.map((m) => m.text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
    for (const text of unescaped) expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
  });

  it("describes messages for the terminal: text as read, buttons as [ 1. … ] lines", () => {
    const messages = render(reply({ texts: ["AnSinh - A & B"], choices: [{ number: "1", label: "Xem tiền" }, { number: "2", label: "Cách nhận tiền" }], canGoBack: true }));
    expect(describeTelegramMessages(messages)).toBe(["AnSinh - A & B", "[ 1. Xem tiền ]", "[ 2. Cách nhận tiền ]", "[ 0. Quay lại ] [ 00. Menu chính ]"].join("\n"));
    const ask = render(reply({ texts: ["Nhập số CCCD:"], expects: "text", offerContact: true }));
    expect(describeTelegramMessages(ask)).toContain("{ Chia sẻ số điện thoại } (shares your phone number)");
  });
});
