import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { hashCitizenId } from "../../src/shared/citizenId.ts";
import { loadSecret, unseal } from "../../src/shared/secrets.ts";
import { formatImportReport, importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { sampleRows, tableCounts, toGrid, writeCsv } from "./paymentListFixture.ts";
import { beneficiaryIdOf, rowOf } from "../helpers/rows.ts";

const secret = loadSecret();
let t: TempDatabase;
beforeEach(async () => {
  t = await tempDatabase();
});
afterEach(async () => {
  await t.cleanup();
});

describe("importing a CSV payment list", () => {
  it("reads a UTF-8 file with a BOM and Vietnamese headers, and stores what the list says", async () => {
    const file = writeCsv(t.dir, "ds-chi-tra-07-2025.csv", toGrid(sampleRows()), { bom: true });
    const progress: [number, number][] = [];
    const report = await importPaymentList(t.db, file, { secret, onProgress: (done, total) => progress.push([done, total]) });

    expect(report).toMatchObject({ rows: 3, accepted: 3, rejected: 0, created: 3, updated: 0, unchanged: 0, dryRun: false, problems: [] });
    expect(report.periods).toEqual(["2025-07"]);
    expect(report.ignoredColumns).toEqual(["STT"]);
    expect(progress.at(-1)).toEqual([3, 3]);

    const paao = (await t.db.sql.get(`SELECT * FROM Beneficiary WHERE code = 'LS-0001'`)) as Record<string, unknown>;
    expect(paao).toMatchObject({
      fullName: "Hoàng Văn Páo",
      dateOfBirth: "1944-03-12",
      sex: "male",
      phone: "+84912345678",
      village: "Nà Lìn",
      category: "Người cao tuổi",
      coefficient: 1.5,
      monthlyAmount: 750000,
      paymentMethod: "bank",
      accountProvider: "Agribank",
      accountLast4: "4567",
      citizenIdLast4: "1234",
      citizenIdHash: hashCitizenId("020044001234", secret),
      payPoint: null,
    });
    expect(unseal(paao.accountNumberSealed as string, secret)).toBe("888801234567");

    const communes = (await t.db.sql.all(`SELECT key, name, district, oldName FROM Commune ORDER BY key`));
    expect(communes).toEqual([
      { key: "phuong ky lua", name: "Phường Kỳ Lừa", district: null, oldName: null },
      { key: "xa tan thanh", name: "Xã Tân Thanh", district: "Văn Lãng", oldName: "Hoàng Văn Thụ" },
    ]);

    const payments = (await t.db.sql.all(`SELECT b.code, p.amount, p.backPay, p.method, p.accountLast4, p.payDate, p.payPoint, p.status, pp.period
         FROM Payment p JOIN Beneficiary b ON b.id = p.beneficiaryId JOIN PaymentPeriod pp ON pp.id = p.periodId ORDER BY b.code`));
    expect(payments).toEqual([
      { code: "LS-0001", amount: 750000, backPay: 0, method: "bank", accountLast4: "4567", payDate: "2025-07-10", payPoint: null, status: "scheduled", period: "2025-07" },
      // 1,500,000 paid against a 750,000 allowance: the difference is back pay.
      { code: "LS-0002", amount: 1500000, backPay: 750000, method: "mobile_money", accountLast4: null, payDate: "2025-07-10", payPoint: null, status: "scheduled", period: "2025-07" },
      { code: "LS-0003", amount: 1000000, backPay: 0, method: "cash", accountLast4: null, payDate: "2025-07-05", payPoint: "Nhà văn hoá khối 5", status: "scheduled", period: "2025-07" },
    ]);

    const guardian = (await t.db.sql.get(`SELECT fullName, phone, citizenIdLast4 FROM Guardian`));
    expect(guardian).toEqual({ fullName: "Nông Thị Hoa", phone: "+84398765432", citizenIdLast4: "4321" });
    expect((await t.db.sql.get(`SELECT relation FROM GuardianLink`))).toEqual({ relation: "Bà nội" });

    const run = (await t.db.sql.get(`SELECT kind, fileName, fileHash, rows, accepted, rejected, changed, dryRun FROM ImportRun`));
    expect(run).toMatchObject({ kind: "payments", fileName: "ds-chi-tra-07-2025.csv", rows: 3, accepted: 3, rejected: 0, changed: 3, dryRun: 0 });
    expect((run as { fileHash: string }).fileHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await tableCounts(t.db)).AuditLog).toBe(0); // creations are accounted for by the ImportRun, not audited one by one
  });

  it("reads a ;-separated file without a BOM, and the records read back through Prisma", async () => {
    const file = writeCsv(t.dir, "list.csv", toGrid(sampleRows()), { delimiter: ";" });
    const report = await importPaymentList(t.db, file, { secret });
    expect(report).toMatchObject({ rows: 3, accepted: 3, created: 3 });
    const payment = (await rowOf(t.db.query, "Payment", { beneficiaryId: await beneficiaryIdOf(t.db.query, "LS-0002") }))!;
    expect((await rowOf(t.db.query, "PaymentPeriod", { id: payment.periodId }))?.period).toBe("2025-07");
    expect(payment.createdAt).toBe(sqlTimestamp(new Date(payment.createdAt)));
    const run = await rowOf(t.db.query, "ImportRun");
    expect(run?.dryRun).toBe(0);
  });

  it("accepts English column keys with underscores, in any case", async () => {
    const header = ["BENEFICIARY_CODE", "full name", "date_of_birth", "citizen_id", "commune", "category", "period", "amount", "pay_date", "payment_method", "account_number"];
    const grid = [header, ["X1", "Vi Văn Hùng", "1950-02-01", "020050111111", "Xã Đồng Đăng", "Người cao tuổi", "2025-07", "500000", "2025-07-08", "cash_home", ""]];
    const report = await importPaymentList(t.db, writeCsv(t.dir, "en.csv", grid), { secret });
    expect(report).toMatchObject({ accepted: 1, rejected: 0 });
    expect((await t.db.sql.get(`SELECT method FROM Payment`))).toEqual({ method: "cash_home" });
  });

  it("skips a title above the header, the column-number row under it and the total at the bottom", async () => {
    const grid = toGrid(sampleRows());
    const width = grid[0].length;
    const title = ["DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG 7/2025", ...Array(width - 1).fill("")];
    const numbers = grid[0].map((_, i) => `(${i + 1})`);
    const total = grid[0].map((h) => (h === "Họ và tên" ? "Tổng cộng" : h === "Số tiền" ? "3.250.000" : ""));
    const file = writeCsv(t.dir, "titled.csv", [title, grid[0], numbers, ...grid.slice(1), total]);
    const report = await importPaymentList(t.db, file, { secret });
    expect(report).toMatchObject({ rows: 3, accepted: 3, rejected: 0 });
  });

  it("formats the report for the CLI", async () => {
    const rows = sampleRows();
    rows[1]["Số CCCD"] = "02016200567";
    const report = await importPaymentList(t.db, writeCsv(t.dir, "one-bad.csv", toGrid(rows)), { secret });
    const text = formatImportReport(report);
    expect(text).toContain("rows read: 3");
    expect(text).toContain("accepted:  2");
    expect(text).toContain("rejected:  1");
    expect(text).toContain("created:   2");
    expect(text).toMatch(/^row 3, column citizen_id: must be 12 digits \(it has 11\)/m);
    expect(path.basename(report.fileName)).toBe("one-bad.csv");
  });
});
