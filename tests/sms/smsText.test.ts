import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countSmsSegments } from "../../src/shared/smsSegments.ts";
import { shortenName } from "../../src/shared/shortenName.ts";
import { toSmsText } from "../../src/shared/smsText.ts";
import { smsReminderText } from "../../src/domain/outbox/smsReminderText.ts";
import { checkProjectFlows } from "../../src/flowsCheck/checkProjectFlows.ts";
import { createTranslator } from "../../src/i18n/translator.ts";
import { FLOWS_DIR, LOCALES_DIR } from "../../src/shared/projectPaths.ts";
import { Engine } from "../../src/engine/engine.ts";
import { loadFlows } from "../../src/engine/loadFlows.ts";
import type { Locale } from "../../src/engine/session.ts";
import { sampleVariants } from "../../src/flowsCheck/sampleVariables.ts";
import { smsRenderer } from "../../src/channels/sms/renderSms.ts";

describe("SMS segments", () => {
  it("counts GSM-7: 160 in one part, 153 per part, extension characters twice", () => {
    expect(countSmsSegments("a".repeat(160))).toEqual({ encoding: "gsm7", units: 160, segments: 1 });
    expect(countSmsSegments("a".repeat(161))).toEqual({ encoding: "gsm7", units: 161, segments: 2 });
    expect(countSmsSegments("a".repeat(306)).segments).toBe(2);
    expect(countSmsSegments("a".repeat(307)).segments).toBe(3);
    expect(countSmsSegments("a".repeat(159) + "€")).toEqual({ encoding: "gsm7", units: 161, segments: 2 });
    expect(countSmsSegments("^{}\\[~]|").units).toBe(16);
  });

  it("counts UCS-2 as soon as one character is outside GSM-7: 70 in one part, 67 per part", () => {
    expect(countSmsSegments("ạ".repeat(70))).toEqual({ encoding: "ucs2", units: 70, segments: 1 });
    expect(countSmsSegments("Nhận tiền" + "a".repeat(62))).toEqual({ encoding: "ucs2", units: 71, segments: 2 });
    expect(countSmsSegments("ạ".repeat(135)).segments).toBe(3);
  });

  it("folds Vietnamese to unaccented GSM-7 text", () => {
    const text = toSmsText("Đinh Thị Mai nhận tiền – “hôm nay”…");
    expect(text).toBe('Dinh Thi Mai nhan tien - "hom nay"...');
    expect(countSmsSegments(text).encoding).toBe("gsm7");
  });
});

describe("SMS reminders", () => {
  const { translate } = createTranslator(LOCALES_DIR);
  const payment = { name: "Nguyễn Văn An (DEMO)", amount: 1_000_000, payDate: "2026-12-05", method: "cash", payPoint: "Nhà văn hóa thôn Bản Chu", accountLast4: null };

  it("says date, name, amount, where, and how to stop, in one unaccented part", () => {
    const text = smsReminderText(translate, "vi", "reminder_before", payment);
    expect(text).toBe("AnSinh nhac: ngay 05/12/2026 Nguyen Van An (DEMO) nhan 1.000.000 d. Tai Nha van hoa thon Ban Chu, mang CCCD. Soan TAT NHAC de tat nhac.");
    expect(countSmsSegments(text).segments).toBe(1);
  });

  it("shortens a long name, then a long pay point, to stay in one part", () => {
    expect(shortenName("Hoàng Thị Phương Thảo")).toBe("H.T.P. Thảo");
    expect(shortenName("Nguyễn Văn An (DEMO)")).toBe("N.V. An (DEMO)");
    const long = { ...payment, name: "Hoàng Thị Phương Thảo Nguyễn Lương", amount: 12_500_000, payPoint: "Nhà văn hóa thôn Khuổi Khỉn, xã Tràng Định" };
    const named = smsReminderText(translate, "vi", "reminder_day", long);
    expect(named).toContain("H.T.P.T.N. Luong");
    expect(countSmsSegments(named).segments).toBe(1);
    const far = { ...long, payPoint: "Nhà văn hóa thôn Khuổi Khỉn, xã Tràng Định, huyện Tràng Định, tỉnh Lạng Sơn, cạnh trường tiểu học" };
    const cut = smsReminderText(translate, "vi", "reminder_day", far);
    expect(cut).toMatch(/Tai Nha van hoa thon Khuoi Khin.*\.\., mang CCCD\. Soan TAT NHAC de tat nhac\.$/);
    expect(countSmsSegments(cut).segments).toBe(1);
  });
});

describe("flows check on SMS sentences", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-sms-flows-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("flags a sentence that would take more than 2 SMS parts", () => {
    fs.cpSync(FLOWS_DIR, path.join(root, "flows"), { recursive: true });
    fs.cpSync(LOCALES_DIR, path.join(root, "locales"), { recursive: true });
    const file = path.join(root, "locales", "vi", "bot.json");
    const locale = JSON.parse(fs.readFileSync(file, "utf8"));
    locale.notice.what_to_do += " Nếu cần, hãy mang theo giấy tờ tùy thân, sổ hộ khẩu và giấy xác nhận của trưởng thôn đến UBND xã vào giờ hành chính để được cán bộ hướng dẫn.".repeat(2);
    fs.writeFileSync(file, JSON.stringify(locale));
    const report = checkProjectFlows({ ussdScreenLimit: 160, flowsDir: path.join(root, "flows"), localesDir: path.join(root, "locales") });
    expect(report.problems).toContain('locales/vi: "notice.what_to_do" takes 3 SMS parts with long data, over the limit of 2');
    expect(checkProjectFlows({ ussdScreenLimit: 160 }).problems).toEqual([]);
  });
});

describe("flows check on the SMS help", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-sms-help-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("flags a help (the answer to anything else) that takes more than one part", () => {
    fs.cpSync(FLOWS_DIR, path.join(root, "flows"), { recursive: true });
    fs.cpSync(LOCALES_DIR, path.join(root, "locales"), { recursive: true });
    const file = path.join(root, "locales", "en", "bot.json");
    const locale = JSON.parse(fs.readFileSync(file, "utf8"));
    locale.sms.help += " BAT NHAC turns reminders on again.";
    fs.writeFileSync(file, JSON.stringify(locale));
    const report = checkProjectFlows({ ussdScreenLimit: 160, flowsDir: path.join(root, "flows"), localesDir: path.join(root, "locales") });
    expect(report.problems).toContain('locales/en: "sms.help" takes 2 SMS parts: the help answered to anything else must fit one');
  });
});

describe("a guardian's TT by SMS", () => {
  const { translate, locales } = createTranslator(LOCALES_DIR);
  const engine = new Engine({ flows: loadFlows(FLOWS_DIR), actions: {}, validators: {}, translate, locales, defaultLocale: "vi" });

  it("fits two parts with the longest names and reasons: a line per person, names shortened, nothing cut", () => {
    for (const locale of locales as Locale[]) {
      for (const vars of sampleVariants()) {
        const people = vars.people as { shortLabel: string }[];
        const reply = engine.preview({ flow: "status", node: "everyone" }, { ...vars, channel: "sms" }, locale, [{ flow: "main", node: "pick_person" }]);
        const sms = smsRenderer(translate).render(reply, 0).output;
        expect(countSmsSegments(sms)).toMatchObject({ encoding: "gsm7" });
        expect(countSmsSegments(sms).segments, sms).toBeLessThanOrEqual(2);
        expect(sms).not.toContain("..");
        const lines = sms.split("\n");
        expect(lines.slice(1, 1 + people.length).map((line) => line.split(":")[0])).toEqual(people.map((p) => toSmsText(p.shortLabel)));
      }
    }
  });
});
