import { describe, expect, it } from "vitest";
import { cellText } from "../../src/domain/imports/cellText.ts";
import { columnKeyForHeader, columnLetter } from "../../src/domain/imports/paymentListColumns.ts";
import { parseCoefficient, parseListDate, parseListPeriod, parseVnd } from "../../src/domain/imports/parseListValues.ts";

describe("parseVnd", () => {
  it.each([
    ["500.000", 500000],
    ["500,000", 500000],
    ["500000", 500000],
    ["500.000 đ", 500000],
    ["500.000đ", 500000],
    ["500.000 VNĐ", 500000],
    ["1.500.000", 1500000],
    ["1,500,000.00", 1500000],
    ["1.500.000,00", 1500000],
    ["500000.00", 500000],
    ["100.000.000", 100000000],
  ])("reads %s as %i", (raw, value) => {
    expect(parseVnd(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ["-500.000", /negative/],
    ["(500.000)", /negative/],
    ["500000.5", /fraction/],
    ["1.500,50", /fraction/],
    ["100.000.001", /more than 100\.000\.000/],
    ["5.00.000", /not an amount/],
    ["1.500,000.00", /not an amount/],
    ["abc", /not an amount/],
    ["", /empty/],
  ])("rejects %s", (raw, reason) => {
    const result = parseVnd(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe("other list values", () => {
  it("reads coefficients with a decimal comma or point", () => {
    expect(parseCoefficient("1,5")).toEqual({ ok: true, value: 1.5 });
    expect(parseCoefficient("2.0")).toEqual({ ok: true, value: 2 });
    expect(parseCoefficient("0").ok).toBe(false);
    expect(parseCoefficient("1,5,0").ok).toBe(false);
  });

  it("reads dates and periods as lists write them", () => {
    expect(parseListDate("05/07/2025")).toBe("2025-07-05");
    expect(parseListDate("5/7/2025")).toBe("2025-07-05");
    expect(parseListDate("2025-07-05")).toBe("2025-07-05");
    expect(parseListDate("05/07/2025 00:00:00")).toBe("2025-07-05");
    expect(parseListDate("31/06/2025")).toBeNull();
    expect(parseListPeriod("2025-07")).toBe("2025-07");
    expect(parseListPeriod("07/2025")).toBe("2025-07");
    expect(parseListPeriod("Tháng 7/2025")).toBe("2025-07");
    expect(parseListPeriod("2025-13")).toBeNull();
  });
});

describe("cellText: what the clerk typed, from what the spreadsheet kept", () => {
  it("restores the leading 0 of IDs and phones stored as numbers", () => {
    expect(cellText(20044001234, "citizen_id").text).toBe("020044001234");
    expect(cellText(20180004321, "guardian_citizen_id").text).toBe("020180004321");
    expect(cellText(912345678, "phone").text).toBe("0912345678");
    expect(cellText(84912345678, "phone").text).toBe("84912345678");
  });

  it("turns Date cells and lost-format day numbers into dates, and into a month for the period", () => {
    expect(cellText(new Date(Date.UTC(1944, 2, 12)), "date_of_birth").text).toBe("1944-03-12");
    expect(cellText(45848, "pay_date").text).toBe("2025-07-10");
    expect(cellText(new Date(Date.UTC(2025, 6, 1)), "period").text).toBe("2025-07");
    expect(cellText(5072025, "pay_date").text).toBe("05072025"); // ddmmyyyy typed as a number
  });

  it("flags account numbers longer than Excel's 15 digits", () => {
    expect(cellText(123456789012345, "account_number")).toEqual({ text: "123456789012345" });
    expect(cellText(1234567890123456, "account_number").problem).toMatch(/15 digits/);
  });

  it("keeps text as NFC without surrounding spaces", () => {
    expect(cellText("  Hoa\u0300ng  ", "full_name").text).toBe("Hoàng");
  });
});

describe("header matching", () => {
  it.each([
    ["Mã đối tượng", "beneficiary_code"],
    ["MA DOI TUONG", "beneficiary_code"],
    ["Họ tên", "full_name"],
    ["Số định danh cá nhân", "citizen_id"],
    ["Số CCCD (*)", "citizen_id"],
    ["Phường/Xã", "commune"],
    ["Xã cũ", "old_commune"],
    ["Số tiền (đồng)", "amount"],
    ["SĐT", "phone"],
    ["sđt người nhận thay", "guardian_phone"],
    ["pay_date", "pay_date"],
    ["Pay Date", "pay_date"],
    ["Hình thức chi trả", "payment_method"],
    ["STT", undefined],
  ])("%s → %s", (header, key) => {
    expect(columnKeyForHeader(header)).toBe(key);
  });

  it("names columns with spreadsheet letters", () => {
    expect([0, 25, 26, 51, 52].map(columnLetter)).toEqual(["A", "Z", "AA", "AZ", "BA"]);
  });
});
