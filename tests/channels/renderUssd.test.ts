import { describe, expect, it } from "vitest";
import { paginateUssd } from "../../src/channels/ussd/renderUssd.ts";
import { toFeaturePhoneText } from "../../src/shared/featurePhoneText.ts";
import type { Reply } from "../../src/engine/types.ts";

const reply = (texts: string[], labels: string[], extra: Partial<Reply> = {}): Reply => ({
  locale: "vi",
  texts,
  choices: labels.map((label, i) => ({ number: String(i + 1), label })),
  expects: "choice",
  end: false,
  nav: { back: "Quay lại", home: "Menu chính", more: "Xem thêm" },
  canGoBack: true,
  ...extra,
});

describe("USSD rendering", () => {
  it("writes without diacritics, đ included, and with plain punctuation", () => {
    expect(toFeaturePhoneText("Đã nhận – “tiền” …")).toBe('Da nhan - "tien" ...');
  });

  it("keeps a short screen on one page with the back line", () => {
    const pages = paginateUssd(reply(["Chọn:"], ["Một", "Hai"]), 160);
    expect(pages).toEqual([{ text: "Chon:\n1. Mot\n2. Hai\n0. Quay lai", end: false }]);
  });

  it("splits long content into pages within the limit, numbering choices across pages", () => {
    const long = "Nội dung rất dài ".repeat(20).trim();
    const labels = Array.from({ length: 12 }, (_, i) => `Lựa chọn số ${i + 1} khá dài`);
    for (const limit of [80, 160, 182]) {
      const pages = paginateUssd(reply([long], labels), limit);
      expect(pages.length).toBeGreaterThan(1);
      for (const [i, page] of pages.entries()) {
        expect(page.text.length).toBeLessThanOrEqual(limit);
        if (i < pages.length - 1) expect(page.text).toContain("99. Xem them");
        expect(page.text).toContain("0. Quay lai");
      }
      const all = pages.map((p) => p.text).join("\n");
      for (let n = 1; n <= 12; n++) expect(all).toContain(`${n}. Lua chon so ${n} kha dai`);
    }
  });

  it("ends only on the last page of a long final message", () => {
    const pages = paginateUssd(reply(["Lời chào ".repeat(40)], [], { end: true, canGoBack: false, expects: "none" }), 160);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.slice(0, -1).every((p) => !p.end)).toBe(true);
    expect(pages.at(-1)!.end).toBe(true);
  });
});
