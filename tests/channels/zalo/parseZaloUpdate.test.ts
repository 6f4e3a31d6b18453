import { describe, expect, it } from "vitest";
import { normalizeZaloUpdate } from "../../../src/channels/zalo/normalizeZaloUpdate.ts";
import { parseZaloUpdate } from "../../../src/channels/zalo/parseZaloUpdate.ts";
import { verifyZaloSecret } from "../../../src/channels/zalo/verifyZaloSecret.ts";

const message = (fields: Record<string, unknown> = {}) => ({
  message_id: "2d7ae1c0f9",
  date: 1750316131602,
  from: { id: "6ede9afa66b5", display_name: "Ted", is_bot: false },
  chat: { id: "6ede9afa66b5", chat_type: "PRIVATE" },
  ...fields,
});
const textUpdate = (text = "020190003333") => ({ event_name: "message.text.received", message: message({ text }) });

function parsedEvent(body: unknown) {
  const parsed = parseZaloUpdate(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  return normalizeZaloUpdate(parsed.update);
}

describe("parseZaloUpdate and normalizeZaloUpdate", () => {
  it("accepts the wrapped body from the documentation and the unwrapped one, to the same event", () => {
    const wrapped = parsedEvent({ ok: true, result: textUpdate("1") });
    const unwrapped = parsedEvent(textUpdate("1"));
    expect(wrapped).toEqual({ updateKey: "message.text.received:2d7ae1c0f9", userId: "6ede9afa66b5", kind: "text", text: "1" });
    expect(unwrapped).toEqual(wrapped);
  });

  it.each(["message.image.received", "message.sticker.received", "message.unsupported.received", "message.location.received"])("makes %s unreadable", (eventName) => {
    const event = parsedEvent({ event_name: eventName, message: message({ photo: "https://example.org/p.jpg", sticker: "s1" }) });
    expect(event).toEqual({ updateKey: `${eventName}:2d7ae1c0f9`, userId: "6ede9afa66b5", kind: "unreadable" });
  });

  it("ignores group chats and other bots", () => {
    expect(parsedEvent({ event_name: "message.text.received", message: message({ text: "hi", chat: { id: "g1", chat_type: "GROUP" } }) })).toBeNull();
    expect(parsedEvent({ event_name: "message.text.received", message: message({ text: "hi", from: { id: "b1", is_bot: true } }) })).toBeNull();
  });

  it.each([
    ["a string", "hello", /body must be an object/],
    ["an array", [textUpdate()], /body must be an object/],
    ["a wrapped body that is not ok", { ok: false, result: textUpdate() }, /ok must be true/],
    ["a wrapped body without result", { ok: true }, /result is required/],
    ["no event_name", { message: message({ text: "x" }) }, /event_name is required/],
    ["an odd event_name", { event_name: "DROP TABLE", message: message({ text: "x" }) }, /event_name is not an event name/],
    ["no message", { event_name: "message.text.received" }, /message is required/],
    ["a numeric message_id", { event_name: "message.text.received", message: message({ text: "x", message_id: 12 }) }, /message.message_id must be a string/],
    ["a numeric chat id", { event_name: "message.text.received", message: message({ text: "x", chat: { id: 6, chat_type: "PRIVATE" } }) }, /message.chat.id must be a string/],
    ["no chat type", { event_name: "message.text.received", message: message({ text: "x", chat: { id: "6" } }) }, /message.chat.chat_type is required/],
    ["no sender", { event_name: "message.text.received", message: { ...message({ text: "x" }), from: undefined } }, /message.from is required/],
    ["is_bot missing", { event_name: "message.text.received", message: message({ text: "x", from: { id: "6" } }) }, /message.from.is_bot is required/],
    ["no date", { event_name: "message.text.received", message: { ...message({ text: "x" }), date: undefined } }, /message.date is required/],
    ["a text event without text", { event_name: "message.text.received", message: message() }, /message.text is required/],
    ["text that is not a string", { event_name: "message.text.received", message: message({ text: 20190003333 }) }, /message.text must be a string/],
    ["an id that is not an id", { event_name: "message.text.received", message: message({ text: "x", message_id: "a b" }) }, /message.message_id is not an id/],
  ])("refuses %s with a reason that names the field", (_name, body, reason) => {
    const parsed = parseZaloUpdate(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toMatch(reason);
      expect(parsed.reason).not.toMatch(/\d{6}/);
    }
  });
});

describe("verifyZaloSecret", () => {
  it("accepts only the exact secret, telling a missing header from a wrong one", () => {
    expect(verifyZaloSecret("a-secret-of-8+", "a-secret-of-8+")).toBe("ok");
    expect(verifyZaloSecret(undefined, "a-secret-of-8+")).toBe("missing");
    expect(verifyZaloSecret("", "a-secret-of-8+")).toBe("missing");
    expect(verifyZaloSecret("a-secret-of-8", "a-secret-of-8+")).toBe("wrong");
    expect(verifyZaloSecret("a-secret-of-8+x", "a-secret-of-8+")).toBe("wrong");
    expect(verifyZaloSecret(["a-secret-of-8+"], "a-secret-of-8+")).toBe("missing");
    expect(verifyZaloSecret("anything", null)).toBe("wrong");
  });
});
