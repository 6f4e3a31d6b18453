import { describe, expect, it } from "vitest";
import { describeZaloMessages } from "../../../src/channels/zalo/describeZaloMessages.ts";
import { renderZaloReply, zaloRenderer } from "../../../src/channels/zalo/renderZaloReply.ts";
import type { Reply } from "../../../src/engine/types.ts";

const reply = (fields: Partial<Reply>): Reply => ({
  locale: "vi",
  texts: [],
  choices: [],
  expects: "choice",
  end: false,
  nav: { back: "Quay lại", home: "Menu chính", more: "Xem thêm" },
  canGoBack: true,
  ...fields,
});

describe("renderZaloReply", () => {
  it("numbers the choices and adds the 0 / 00 navigation, since Zalo has no buttons", () => {
    const messages = renderZaloReply(reply({ texts: ["Chọn ngân hàng:"], choices: [{ number: "1", label: "Agribank" }, { number: "2", label: "BIDV" }] }));
    expect(messages).toEqual(["Chọn ngân hàng:\n\n1. Agribank\n2. BIDV\n\n0. Quay lại · 00. Menu chính"]);
    expect(zaloRenderer.render(reply({ texts: ["x"] }), 0).pages).toBe(1);
  });

  it("shows no navigation on a last screen, and no back where there is nowhere to go", () => {
    expect(renderZaloReply(reply({ texts: ["Tạm biệt."], end: true, expects: "none" }))).toEqual(["Tạm biệt."]);
    expect(renderZaloReply(reply({ texts: ["Menu"], canGoBack: false }))).toEqual(["Menu\n\n00. Menu chính"]);
  });

  it("splits a reply over 2000 characters between paragraphs, losing nothing", () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => `Đoạn ${i + 1}: ${"chữ ".repeat(100).trim()}`);
    const long = reply({ texts: paragraphs.map((p, i) => (i < 11 ? `${p}\n` : p)), choices: [{ number: "1", label: "Về menu chính" }] });
    const messages = renderZaloReply(long);
    expect(messages.length).toBeGreaterThan(2);
    for (const message of messages) {
      expect(message.length).toBeGreaterThan(0);
      expect(message.length).toBeLessThanOrEqual(2000);
    }
    // Every paragraph arrives whole, in order, and the menu comes last.
    const all = messages.join("\n");
    for (const paragraph of paragraphs) expect(messages.some((m) => m.includes(paragraph))).toBe(true);
    expect(all.indexOf("Đoạn 12:")).toBeGreaterThan(all.indexOf("Đoạn 2:"));
    expect(messages.at(-1)).toMatch(/1\. Về menu chính\n\n0\. Quay lại · 00\. Menu chính$/);
  });

  it("cuts a single line longer than a message at a word", () => {
    const messages = renderZaloReply(reply({ texts: ["từ ".repeat(1500).trim()], end: true }));
    expect(messages.map((m) => m.length).every((n) => n <= 2000)).toBe(true);
    expect(messages.join(" ")).toBe("từ ".repeat(1500).trim());
  });
});

describe("describeZaloMessages", () => {
  it("prints each message as a bubble with its length, numbered when the answer was split", () => {
    expect(describeZaloMessages(["Xin chào\n1. Một"])).toBe("┌─ Zalo · 15 chars\n│ Xin chào\n│ 1. Một\n└─");
    const split = describeZaloMessages(["a", "b"]);
    expect(split).toContain("┌─ Zalo 1/2 · 1 chars");
    expect(split).toContain("┌─ Zalo 2/2 · 1 chars");
  });
});
