import { describe, expect, it } from "vitest";
import { citizenIdMatchesBirthYear, hashCitizenId } from "../../src/shared/citizenId.ts";
import { formatCalendarDate, nextPeriod, parseCalendarDate, parsePeriod, todayInVietnam } from "../../src/shared/dates.ts";
import { redact } from "../../src/shared/log.ts";
import { formatVnd } from "../../src/shared/money.ts";
import { maskPhone, normalizeVietnamPhone } from "../../src/shared/phone.ts";
import { seal, unseal } from "../../src/shared/secrets.ts";
import { foldDiacritics, matchKey } from "../../src/shared/text.ts";

describe("shared helpers", () => {
  it("folds Vietnamese to plain letters, đ included", () => {
    expect(foldDiacritics("Đồng Đăng, Lạng Sơn: Xem tiền")).toBe("Dong Dang, Lang Son: Xem tien");
    expect(matchKey("  XEM   Tiền! ")).toBe("xem tien");
  });

  it("normalises every Vietnamese phone form to E.164 and reports old 11-digit numbers", () => {
    for (const form of ["0912345678", "84912345678", "+84912345678", "+84 912 345 678", "0912.345.678", "091-234-5678"]) {
      expect(normalizeVietnamPhone(form)).toEqual({ ok: true, e164: "+84912345678" });
    }
    expect(normalizeVietnamPhone("01668123456")).toEqual({ ok: false, reason: "old_11_digit" });
    expect(normalizeVietnamPhone("+841668123456")).toEqual({ ok: false, reason: "old_11_digit" });
    expect(normalizeVietnamPhone("12345")).toEqual({ ok: false, reason: "invalid" });
    expect(maskPhone("+84912345678")).toBe("***678");
  });

  it("formats money and dates the Vietnamese way", () => {
    expect(formatVnd(500000)).toBe("500.000 đ");
    expect(formatVnd(12_500_000)).toBe("12.500.000 đ");
    expect(formatVnd(0)).toBe("0 đ");
    expect(formatCalendarDate("2026-12-05")).toBe("05/12/2026");
  });

  it("parses dates typed in the common ways and rejects impossible ones", () => {
    expect(parseCalendarDate("05/03/1950")).toBe("1950-03-05");
    expect(parseCalendarDate("5/3/1950")).toBe("1950-03-05");
    expect(parseCalendarDate("05031950")).toBe("1950-03-05");
    expect(parseCalendarDate("1950-03-05")).toBe("1950-03-05");
    expect(parseCalendarDate("31/02/1950")).toBeNull();
    expect(parseCalendarDate("hôm qua")).toBeNull();
    expect(parsePeriod("12/2026")).toBe("2026-12");
    expect(nextPeriod("2026-12")).toBe("2027-01");
    expect(todayInVietnam(new Date("2026-11-29T18:00:00Z"))).toBe("2026-11-30");
  });

  it("checks a citizen ID's century and year digits against a birth date, and hashes it under a key", () => {
    expect(citizenIdMatchesBirthYear("020050001234", "1950-03-05")).toBe(true);
    expect(citizenIdMatchesBirthYear("020215007777", "2015-06-20")).toBe(true);
    expect(citizenIdMatchesBirthYear("020050001234", "1951-03-05")).toBe(false);
    const a = hashCitizenId("020050001234", Buffer.alloc(32, 1));
    expect(a).not.toContain("020050001234");
    expect(hashCitizenId("020050001234", Buffer.alloc(32, 2))).not.toBe(a);
  });

  it("seals account numbers so only the secret opens them", () => {
    const secret = Buffer.alloc(32, 7);
    const sealed = seal("4200123456789", secret);
    expect(sealed).not.toContain("4200123456789");
    expect(unseal(sealed, secret)).toBe("4200123456789");
    expect(() => unseal(sealed, Buffer.alloc(32, 8))).toThrow();
  });

  it("redacts ID, account and phone numbers from log lines", () => {
    expect(redact("id 020050001234 phone +84 912 345 678 acct 4200.1234.5678 amount 750000")).toBe(
      "id [number] phone [number] acct [number] amount 750000",
    );
  });
});
