import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashCitizenId } from "../../src/shared/citizenId.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { readXlsxTable } from "../../src/domain/imports/readXlsxTable.ts";
import fs from "node:fs";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

const secret = loadSecret();
let t: TempDatabase;
beforeEach(async () => {
  t = await tempDatabase();
});
afterEach(async () => {
  await t.cleanup();
});

const HEADER = ["Mã đối tượng", "Họ và tên", "Ngày sinh", "Số CCCD", "Số điện thoại", "Xã", "Đối tượng", "Kỳ", "Số tiền (đồng)", "Ngày chi trả", "Hình thức", "Số tài khoản"];

/** A workbook as Excel leaves it after a clerk typed into number and date cells. */
async function writeWorkbook(file: string, rows: unknown[][], options: { title?: boolean } = {}): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Danh sách");
  if (options.title) sheet.addRow(["DANH SÁCH CHI TRẢ THÁNG 7/2025"]);
  sheet.addRow(HEADER);
  for (const row of rows) sheet.addRow(row);
  sheet.getColumn(3).numFmt = "dd/mm/yyyy";
  sheet.getColumn(8).numFmt = "mm/yyyy";
  sheet.getColumn(10).numFmt = "dd/mm/yyyy";
  workbook.addWorksheet("Ghi chú").addRow(["Mã đối tượng", "Họ và tên", "Ngày sinh", "not a payment list"]);
  await workbook.xlsx.writeFile(file);
}

describe("importing an XLSX payment list", () => {
  it("restores leading zeros, reads Date cells, rich text and formulas, from the first worksheet", async () => {
    const file = path.join(t.dir, "ds.xlsx");
    await writeWorkbook(
      file,
      [
        [
          "LS-0001",
          { richText: [{ text: "Hoàng ", font: { bold: true } }, { text: "Văn Páo" }] },
          new Date(Date.UTC(1944, 2, 12)),
          20044001234, // 020044001234 typed into a number cell
          912345678, // 0912345678 likewise
          "Xã Tân Thanh",
          "Người cao tuổi",
          new Date(Date.UTC(2025, 6, 1)), // "07/2025" which Excel turned into a date
          { formula: "500000*1.5", result: 750000 },
          new Date(Date.UTC(2025, 6, 10)),
          "Ngân hàng",
          "888801234567",
        ],
        [
          "LS-0002",
          "Lương Thị Mai",
          "05/11/1962",
          "020162005678",
          "0987654321",
          "Xã Tân Thanh",
          "Người khuyết tật",
          "2025-07",
          1000000,
          "10/07/2025",
          "Tiền mặt",
          null,
        ],
      ],
      { title: true },
    );

    const report = await importPaymentList(t.db, file, { secret });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ rows: 2, accepted: 2, created: 2 });

    const paao = (await t.db.sql.get(`SELECT fullName, dateOfBirth, phone, citizenIdHash, accountLast4 FROM Beneficiary WHERE code = 'LS-0001'`));
    expect(paao).toEqual({
      fullName: "Hoàng Văn Páo",
      dateOfBirth: "1944-03-12",
      phone: "+84912345678",
      citizenIdHash: hashCitizenId("020044001234", secret),
      accountLast4: "4567",
    });
    const payment = (await t.db.sql.get(`SELECT p.amount, p.payDate, pp.period FROM Payment p JOIN PaymentPeriod pp ON pp.id = p.periodId WHERE p.beneficiaryId = (SELECT id FROM Beneficiary WHERE code = 'LS-0001')`));
    expect(payment).toEqual({ amount: 750000, payDate: "2025-07-10", period: "2025-07" });
  });

  it("reports row numbers as Excel shows them, and an account number Excel has rounded", async () => {
    const file = path.join(t.dir, "bad.xlsx");
    await writeWorkbook(
      file,
      [
        ["LS-0001", "Hoàng Văn Páo", new Date(Date.UTC(1944, 2, 12)), 20044001234, null, "Tân Thanh", "NCT", "2025-07", 750000, new Date(Date.UTC(2025, 6, 10)), "Ngân hàng", 1234567890123456789],
        ["LS-0002", "Lương Thị Mai", 23400, "020162005678", null, "Tân Thanh", "NKT", "2025-07", 750000.5, 45848, "cash", null],
      ],
      { title: true },
    );
    const report = await importPaymentList(t.db, file, { secret });
    // Title is row 1, header row 2: data starts at row 3.
    expect(report.problems).toEqual([
      { row: 3, column: "account_number", reason: expect.stringContaining("Excel keeps only 15 digits") },
      // 23400 is Excel's day number for 24/01/1964; the ID says 1962.
      { row: 4, column: "citizen_id", reason: expect.stringContaining("does not match date_of_birth") },
      { row: 4, column: "amount", reason: expect.stringContaining("fraction of a đồng") },
    ]);
    expect(report).toMatchObject({ rows: 2, accepted: 0, rejected: 2 });
  });

  it("reads the file whole when exceljs's streaming reader loses its race on the list of sheets (exceljs #3064)", async () => {
    const file = path.join(t.dir, "race.xlsx");
    await writeWorkbook(file, [["LS-0001", "Hoàng Văn Páo", new Date(Date.UTC(1944, 2, 12)), 20044001234, null, "Tân Thanh", "NCT", "2025-07", 750000, new Date(Date.UTC(2025, 6, 10)), "cash", null]]);
    const bytes = fs.readFileSync(file);
    let streamed = 0;
    const losingRace = async () => {
      streamed++;
      throw new TypeError("Cannot read properties of undefined (reading 'sheets')");
    };
    const whole = await readXlsxTable(bytes, losingRace);
    expect(streamed).toBe(3);
    // The same rows as the streaming read gives, from the first tab (not the "Ghi chú" sheet).
    expect(whole).toEqual(await readXlsxTable(bytes));
    expect(whole.rows.map((r) => r.rowNumber)).toEqual([1, 2]);
    expect(whole.rows[1].cells.slice(0, 2)).toEqual(["LS-0001", "Hoàng Văn Páo"]);
    // Any other failure is the file's: said at once, as before.
    await expect(readXlsxTable(bytes, async () => Promise.reject(new Error("invalid signature")))).rejects.toThrow("The .xlsx file cannot be read (invalid signature)");
  });
});
