import { describe, expect, it } from "vitest";
import type { Update } from "grammy/types";
import { normalizeTelegramUpdate } from "../../../src/channels/telegram/normalizeTelegramUpdate.ts";
import { verifyTelegramSecret } from "../../../src/channels/telegram/verifyTelegramSecret.ts";

const person = { id: 42, is_bot: false, first_name: "An" };
const chat = { id: 42, type: "private" as const, first_name: "An" };
const message = (fields: Record<string, unknown>, update_id = 7) => ({ update_id, message: { message_id: 1, date: 1, chat, from: person, ...fields } }) as unknown as Update;
const press = (data: string, keyboard?: { text: string; callback_data: string }[][]) =>
  ({
    update_id: 8,
    callback_query: { id: "q1", from: person, chat_instance: "ci", data, message: { message_id: 2, date: 1, chat, text: "menu", ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}) } },
  }) as unknown as Update;

describe("normalizeTelegramUpdate", () => {
  it("takes text, with /start and its variants as the flows' /start", () => {
    expect(normalizeTelegramUpdate(message({ text: "xem tien" }))).toEqual({ updateKey: "7", userId: "42", kind: "text", text: "xem tien" });
    expect(normalizeTelegramUpdate(message({ text: "/start ref42" }))?.text).toBe("/start");
    expect(normalizeTelegramUpdate(message({ text: "/START@AnSinhBot" }))?.text).toBe("/start");
  });

  it("takes the sender's own contact as a vouched phone number, normalised", () => {
    expect(normalizeTelegramUpdate(message({ contact: { phone_number: "84912345678", first_name: "An", user_id: 42 } }))).toEqual({
      updateKey: "7",
      userId: "42",
      kind: "contact",
      phone: "+84912345678",
    });
    // Their own, but not a Vietnamese number: a contact without a phone (the flow says it is not on the lists).
    expect(normalizeTelegramUpdate(message({ contact: { phone_number: "+14155550100", first_name: "An", user_id: 42 } }))).toEqual({ updateKey: "7", userId: "42", kind: "contact" });
  });

  it("never takes a phone number from someone else's contact", () => {
    const foreign = normalizeTelegramUpdate(message({ contact: { phone_number: "0912345678", first_name: "B", user_id: 43 } }));
    expect(foreign).toEqual({ updateKey: "7", userId: "42", kind: "text", text: "" });
    const noOwner = normalizeTelegramUpdate(message({ contact: { phone_number: "0912345678", first_name: "B" } }));
    expect(noOwner?.kind).toBe("text");
    expect(noOwner?.phone).toBeUndefined();
  });

  it("answers photos, stickers, voice and documents as unreadable, and ignores service messages", () => {
    for (const content of [{ photo: [] }, { sticker: {} }, { voice: {} }, { document: {} }]) expect(normalizeTelegramUpdate(message(content))?.kind).toBe("unreadable");
    expect(normalizeTelegramUpdate(message({ pinned_message: {} }))).toBeNull();
  });

  it("ignores edits, channel posts, groups and bots", () => {
    const text = { message_id: 1, date: 1, chat, from: person, text: "1" };
    expect(normalizeTelegramUpdate({ update_id: 1, edited_message: { ...text, edit_date: 2 } } as unknown as Update)).toBeNull();
    expect(normalizeTelegramUpdate({ update_id: 1, channel_post: { ...text, chat: { id: -1, type: "channel", title: "C" } } } as unknown as Update)).toBeNull();
    expect(normalizeTelegramUpdate(message({ chat: { id: -5, type: "supergroup", title: "G" }, text: "1" }))).toBeNull();
    expect(normalizeTelegramUpdate(message({ from: { ...person, is_bot: true }, text: "1" }))).toBeNull();
  });

  it("turns a button press into the label it shows (the number when the label is unknown or not unique), with the query id", () => {
    const keyboard = [[{ text: "1. Xem tiền trợ cấp", callback_data: "c:1" }], [{ text: "2. Cách nhận tiền", callback_data: "c:2" }], [{ text: "00. Menu chính", callback_data: "n:00" }]];
    expect(normalizeTelegramUpdate(press("c:2", keyboard))).toEqual({ updateKey: "8", userId: "42", kind: "text", text: "Cách nhận tiền", meta: { callbackQueryId: "q1" } });
    expect(normalizeTelegramUpdate(press("n:00", keyboard))?.text).toBe("00");
    expect(normalizeTelegramUpdate(press("n:0", keyboard))?.text).toBe("0");
    expect(normalizeTelegramUpdate(press("c:2"))?.text).toBe("2");
    const twins = [[{ text: "1. Bà A", callback_data: "c:1" }], [{ text: "2. Bà A", callback_data: "c:2" }]];
    expect(normalizeTelegramUpdate(press("c:2", twins))?.text).toBe("2");
    // Data this bot never wrote: still answered (the spinner stops), as an empty answer.
    expect(normalizeTelegramUpdate(press("buy:crypto", keyboard))).toMatchObject({ kind: "text", text: "", meta: { callbackQueryId: "q1" } });
  });
});

describe("verifyTelegramSecret", () => {
  it("accepts only the exact secret", () => {
    expect(verifyTelegramSecret("s3cret", "s3cret")).toBe(true);
    expect(verifyTelegramSecret("s3cre", "s3cret")).toBe(false);
    expect(verifyTelegramSecret("s3cret-", "s3cret")).toBe(false);
    expect(verifyTelegramSecret(undefined, "s3cret")).toBe(false);
    expect(verifyTelegramSecret("", "s3cret")).toBe(false);
  });
});
