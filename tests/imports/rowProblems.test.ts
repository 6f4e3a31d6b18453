import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSecret } from "../../src/shared/secrets.ts";
import { ImportFileError, importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { column, sampleRows, scalar, tableCounts, toGrid, VIETNAMESE_HEADER, writeCsv, type ListRow } from "./paymentListFixture.ts";

const secret = loadSecret();
let t: TempDatabase;
beforeEach(async () => {
  t = await tempDatabase();
});
afterEach(async () => {
  await t.cleanup();
});

const good = () => sampleRows()[0];
/** A good row with a new code and citizen ID (so it is not a duplicate), then the given changes. */
function variant(n: number, changes: ListRow): ListRow {
  return { ...good(), "Mã đối tượng": `LS-1${String(n).padStart(3, "0")}`, "Số CCCD": `020044${String(n).padStart(6, "0")}`, ...changes };
}
const importRows = (rows: ListRow[], options: { allOrNothing?: boolean } = {}) =>
  importPaymentList(t.db, writeCsv(t.dir, "list.csv", toGrid(rows)), { secret, ...options });

describe("row problems", () => {
  it("rejects each bad row whole, naming row, column and reason, while good rows land", async () => {
    const rows = [
      variant(1, {}), // row 2
      variant(2, { "Số CCCD": "0200440000" }), // row 3
      variant(3, { "Số CCCD": "020054000003" }), // row 4: the ID says 1954
      variant(4, { "Hình thức chi trả": "séc" }), // row 5
      variant(5, { "Ngày sinh": "31/02/1944" }), // row 6
      variant(6, { "Số tiền": "năm trăm" }), // row 7
      variant(7, { "Số tiền": "-750.000" }), // row 8
      variant(8, { "Số tiền": "750.000,50" }), // row 9
      variant(9, { "Số tiền": "250.000.000" }), // row 10
      variant(10, { "Kỳ chi trả": "7-2025" }), // row 11
      variant(11, { "Ngày chi trả": "10/07/2024" }), // row 12
      variant(12, { "Mã đối tượng": "LS-1001" }), // row 13: same code as row 2
      variant(13, { "Số CCCD": "020044000001" }), // row 14: same person as row 2 under another code
      variant(14, { "Số điện thoại": "0168 345 6789" }), // row 15
      variant(15, { "Số điện thoại": "12345" }), // row 16
      variant(16, { "Số tài khoản": "" }), // row 17: bank without an account
      variant(17, { "Hình thức chi trả": "ví điện tử", "Số tài khoản": "", "Số điện thoại": "" }), // row 18
      variant(18, { "Số tài khoản": "12345" }), // row 19
      variant(19, { "Hệ số": "một rưỡi", "Giới tính": "x" }), // row 20: two problems, both reported
      variant(20, { "Người nhận thay": "", "SĐT người nhận thay": "0987654321" }), // row 21
      variant(21, { "Họ và tên": " " }), // row 22
      variant(22, {}), // row 23
    ];
    const report = await importRows(rows);

    expect(report).toMatchObject({ rows: 22, accepted: 2, rejected: 20, created: 2 });
    const found = report.problems.map((p) => `${p.row} ${p.column}: ${p.reason}`);
    expect(found).toEqual([
      "3 citizen_id: must be 12 digits (it has 10)",
      "4 citizen_id: does not match date_of_birth: the ID's 4th to 6th digits say born in 1954, date_of_birth says 1944",
      '5 payment_method: unknown method "séc": use bank (ngân hàng), mobile_money (ví điện tử), cash (tiền mặt) or cash_home (tiền mặt tại nhà)',
      '6 date_of_birth: "31/02/1944" is not a date: write dd/mm/yyyy',
      '7 amount: "năm trăm" is not an amount: write whole đồng, e.g. 500.000',
      "8 amount: must not be negative",
      '9 amount: "750.000,50" has a fraction of a đồng: amounts are whole VND',
      "10 amount: 250.000.000 is more than 100.000.000 đ: check the amount",
      '11 period: "7-2025" is not a period: write the month as yyyy-mm (e.g. 2025-07)',
      "12 pay_date: 10/07/2024 is too far from the period 2025-07: a pay date should fall between 01/06/2025 and 30/09/2025",
      "13 beneficiary_code: LS-1001 is already on row 2: a beneficiary is paid once per list",
      "14 citizen_id: the same citizen ID is already on row 2 (LS-1001): one person is paid one allowance",
      "15 phone: old 11-digit number (before 2018); write the new 10-digit number",
      "16 phone: is not a valid Vietnamese phone number",
      "17 account_number: is empty: payment by bank needs the account number",
      "18 account_number: is empty: mobile money needs the wallet account number or the beneficiary's phone",
      "19 account_number: must be 6 to 19 digits (it has 5)",
      '20 sex: "x" is not a sex: write Nam or Nữ',
      '20 coefficient: "một rưỡi" is not a coefficient: write a number such as 1,5',
      "21 guardian_name: is empty while other guardian columns are filled: write the name of the person who receives for them",
      "22 full_name: is empty: write the beneficiary's full name",
    ]);
    const codes = (await column(t.db, `SELECT code FROM Beneficiary ORDER BY code`));
    expect(codes).toEqual(["LS-1001", "LS-1022"]);
    expect((await tableCounts(t.db)).Payment).toBe(2);
  });

  it("with allOrNothing writes nothing when any row is bad, and everything when all are good", async () => {
    const bad = await importRows([variant(1, {}), variant(2, { "Số CCCD": "123" }), variant(3, {})], { allOrNothing: true });
    expect(bad).toMatchObject({ rows: 3, accepted: 0, rejected: 1, created: 0, aborted: true });
    expect(bad.problems).toEqual([{ row: 3, column: "citizen_id", reason: "must be 12 digits (it has 3)" }]);
    expect((await tableCounts(t.db))).toEqual({ Commune: 0, Beneficiary: 0, Guardian: 0, GuardianLink: 0, PaymentPeriod: 0, Payment: 0, AuditLog: 0 });
    expect((await t.db.sql.get(`SELECT rows, accepted, rejected, changed FROM ImportRun`))).toEqual({ rows: 3, accepted: 0, rejected: 1, changed: 0 });

    const fine = await importRows([variant(1, {}), variant(2, {}), variant(3, {})], { allOrNothing: true });
    expect(fine).toMatchObject({ rows: 3, accepted: 3, created: 3, aborted: false });
    expect((await tableCounts(t.db)).Payment).toBe(3);
  });

  it("normalises phones written in every common form to E.164", async () => {
    const forms = ["0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "84912345678", "+84912345678", "+84 912 345 678", "912345678"];
    const report = await importRows(forms.map((phone, i) => variant(i + 1, { "Số điện thoại": phone })));
    expect(report.problems).toEqual([]);
    const phones = (await column(t.db, `SELECT DISTINCT phone FROM Beneficiary`));
    expect(phones).toEqual(["+84912345678"]);
  });
});

describe("problems with the file as a whole", () => {
  it("names a missing required column and writes nothing", async () => {
    const header = VIETNAMESE_HEADER.filter((h) => h !== "Số CCCD" && h !== "Ngày chi trả");
    const file = writeCsv(t.dir, "no-id.csv", toGrid(sampleRows(), header));
    const error = await importPaymentList(t.db, file, { secret }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toContain("required columns citizen_id, pay_date");
    expect((error as ImportFileError).problems).toEqual([
      { row: 1, column: "citizen_id", reason: 'required column is missing (e.g. headed "Số CCCD")' },
      { row: 1, column: "pay_date", reason: 'required column is missing (e.g. headed "Ngày chi trả")' },
    ]);
    expect((await tableCounts(t.db))).toEqual({ Commune: 0, Beneficiary: 0, Guardian: 0, GuardianLink: 0, PaymentPeriod: 0, Payment: 0, AuditLog: 0 });
    expect((await scalar(t.db, `SELECT COUNT(*) FROM ImportRun`))).toBe(0);
  });

  it("refuses a column given twice", async () => {
    const header = [...VIETNAMESE_HEADER, "CCCD"];
    const file = writeCsv(t.dir, "twice.csv", toGrid(sampleRows(), header));
    await expect(importPaymentList(t.db, file, { secret })).rejects.toThrow(/names a column twice/);
  });

  it("refuses other file types and text that is not UTF-8", async () => {
    const xls = path.join(t.dir, "list.xls");
    fs.writeFileSync(xls, "whatever");
    await expect(importPaymentList(t.db, xls, { secret })).rejects.toThrow(/must be \.csv or \.xlsx \(it is \.xls\)\. Old \.xls files/);

    const latin = path.join(t.dir, "latin.csv");
    fs.writeFileSync(latin, Buffer.from([0x4d, 0xe3, 0x20, 0xc4, 0x54, 0x0a])); // Windows-1258 bytes
    await expect(importPaymentList(t.db, latin, { secret })).rejects.toThrow(/not UTF-8/);
    expect((await tableCounts(t.db)).Beneficiary).toBe(0);
  });
});
