import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ExportError, exportMethodChanges, METHOD_CHANGE_EXPORT_COLUMNS } from "../../src/domain/exports/exportMethodChanges.ts";
import { importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { decideMethodChange } from "../../src/domain/methodChanges/decideMethodChange.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { sampleRows, toGrid, writeCsv } from "../imports/paymentListFixture.ts";
import { createRequest, statusOf } from "./methodChangeFixture.ts";

const secret = loadSecret();
let t: TempDatabase;

beforeEach(async () => {
  t = await tempDatabase();
  // LS-0001 and LS-0002 in Xã Tân Thanh, LS-0003 in Phường Kỳ Lừa.
  await importPaymentList(t.db, writeCsv(t.dir, "list.csv", toGrid(sampleRows())), { secret });
  await createRequest(t.db, secret, { reference: "YCBANK0001", code: "LS-0002", method: "bank", provider: "Vietcombank", account: "0071000123456" });
  await createRequest(t.db, secret, { reference: "YCWALLET02", code: "LS-0001", method: "mobile_money", provider: "Viettel Money", walletPhone: "+84912345678" });
  await createRequest(t.db, secret, { reference: "YCHOME0003", code: "LS-0003", method: "cash_home", homeReason: "illness" });
  await createRequest(t.db, secret, { reference: "YCPEND0004", code: "LS-0001", method: "bank", provider: "BIDV", account: "12345678901" });
  await createRequest(t.db, secret, { reference: "YCREJ00005", code: "LS-0002", method: "cash" });
  const decidedAt = new Date("2025-07-21T02:05:00Z"); // 09:05 in Vietnam
  for (const reference of ["YCBANK0001", "YCWALLET02", "YCHOME0003"]) {
    expect((await decideMethodChange(t.db.sql, { reference, decision: "approve", by: "Lan (xã Tân Thanh)", now: decidedAt })).ok).toBe(true);
  }
  expect((await decideMethodChange(t.db.sql, { reference: "YCREJ00005", decision: "reject", by: "Lan", reason: "Không đủ điều kiện", now: decidedAt })).ok).toBe(true);
});
afterEach(async () => {
  await t.cleanup();
});

const EXPECTED_ROWS = [
  // Ordered by commune, then code.
  ["2025-08", "LS-0003", "Nông Văn Tú", "Phường Kỳ Lừa", "cash_home", "", "", "", "illness", "YCHOME0003", "21/07/2025 09:05", "Lan (xã Tân Thanh)"],
  ["2025-08", "LS-0001", "Hoàng Văn Páo", "Xã Tân Thanh", "mobile_money", "Viettel Money", "", "0912345678", "", "YCWALLET02", "21/07/2025 09:05", "Lan (xã Tân Thanh)"],
  ["2025-08", "LS-0002", "Lương Thị Mai", "Xã Tân Thanh", "bank", "Vietcombank", "0071000123456", "", "", "YCBANK0001", "21/07/2025 09:05", "Lan (xã Tân Thanh)"],
];

async function statuses(): Promise<Record<string, string>> {
  const rows = await t.db.sql.all<{ reference: string; status: string }>(`SELECT reference, status FROM MethodChangeRequest ORDER BY reference`);
  return Object.fromEntries(rows.map((r) => [r.reference, r.status]));
}

describe("export method-changes", () => {
  it("writes the approved requests to CSV with the full account number, marks them exported and audits each; a second export writes none", async () => {
    const file = path.join(t.dir, "doi-hinh-thuc-08-2025.csv");
    const result = await exportMethodChanges(t.db, { period: "2025-08", file, secret });
    expect(result).toEqual({ period: "2025-08", count: 3, byMethod: { bank: 1, mobile_money: 1, cash_home: 1 }, file, dryRun: false });

    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // Excel reads the names as UTF-8
    const grid = parse(bytes.subarray(3).toString("utf8")) as string[][];
    expect(grid[0]).toEqual([...METHOD_CHANGE_EXPORT_COLUMNS]);
    expect(grid.slice(1)).toEqual(EXPECTED_ROWS);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    expect((await statuses())).toEqual({ YCBANK0001: "exported", YCHOME0003: "exported", YCPEND0004: "pending", YCREJ00005: "rejected", YCWALLET02: "exported" });
    const audits = (await t.db.sql.all(`SELECT actorKind, entityId, before, after FROM AuditLog WHERE action = 'method_change.exported' ORDER BY id`)) as {
      actorKind: string;
      after: string;
    }[];
    expect(audits).toHaveLength(3);
    expect(JSON.parse(audits[0].after)).toEqual({ status: "exported", period: "2025-08", file: "doi-hinh-thuc-08-2025.csv" });
    expect(JSON.stringify(await t.db.sql.all(`SELECT * FROM AuditLog`))).not.toContain("0071000123456");

    const again = await exportMethodChanges(t.db, { period: "2025-08", file: path.join(t.dir, "again.csv"), secret });
    expect(again).toMatchObject({ count: 0, file: null });
    expect(fs.existsSync(path.join(t.dir, "again.csv"))).toBe(false);
  });

  it("writes XLSX with every cell as text, so account numbers and phones keep their leading zero", async () => {
    const file = path.join(t.dir, "doi-hinh-thuc.xlsx");
    expect(await exportMethodChanges(t.db, { period: "08/2025", file, secret })).toMatchObject({ period: "2025-08", count: 3 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0];
    const grid: unknown[][] = [];
    sheet.eachRow((row) => grid.push((row.values as unknown[]).slice(1).map((v) => v ?? "")));
    expect(grid[0]).toEqual([...METHOD_CHANGE_EXPORT_COLUMNS]);
    expect(grid.slice(1)).toEqual(EXPECTED_ROWS);
    expect(sheet.getCell("G4").numFmt).toBe("@");
    expect((await statuses()).YCBANK0001).toBe("exported");
  });

  it("counts without writing or marking on a dry run", async () => {
    const file = path.join(t.dir, "dry.csv");
    expect(await exportMethodChanges(t.db, { period: "2025-08", file, secret, dryRun: true })).toEqual({
      period: "2025-08",
      count: 3,
      byMethod: { bank: 1, mobile_money: 1, cash_home: 1 },
      file: null,
      dryRun: true,
    });
    expect(fs.existsSync(file)).toBe(false);
    expect((await statusOf(t.db, "YCBANK0001"))).toBe("approved");
  });

  it("refuses a bad period, an unknown file type, an existing file and a secret that cannot open the accounts, writing and marking nothing", async () => {
    const attempt = (options: Partial<Parameters<typeof exportMethodChanges>[1]>) =>
      exportMethodChanges(t.db, { period: "2025-08", file: path.join(t.dir, "x.csv"), secret, ...options });
    await expect(attempt({ period: "2025-13" })).rejects.toThrow('--period "2025-13" is not a period: write yyyy-mm, e.g. 2026-12');
    await expect(attempt({ period: "2025-08-01" })).rejects.toThrow(ExportError);
    await expect(attempt({ file: path.join(t.dir, "x.xls") })).rejects.toThrow("the file name must end in .csv or .xlsx");
    const existing = path.join(t.dir, "earlier.csv");
    fs.writeFileSync(existing, "an earlier export");
    await expect(attempt({ file: existing })).rejects.toThrow("already exists");
    expect(fs.readFileSync(existing, "utf8")).toBe("an earlier export");
    const wrongSecret = Buffer.alloc(32, 7);
    await expect(attempt({ secret: wrongSecret })).rejects.toThrow(/YCBANK0001 cannot be opened with this secret/);
    expect(fs.existsSync(path.join(t.dir, "x.csv"))).toBe(false);
    expect(fs.readdirSync(t.dir).filter((f) => f.includes("partial"))).toEqual([]);
    expect((await statuses())).toMatchObject({ YCBANK0001: "approved", YCWALLET02: "approved", YCHOME0003: "approved" });
  });
});
