import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importCommuneList } from "../../src/domain/imports/importCommuneList.ts";
import { ImportFileError } from "../../src/domain/imports/importReport.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { countOf, rowOf, rowsOf } from "../helpers/rows.ts";

let temp: TempDatabase;
beforeEach(async () => {
  temp = await tempDatabase();
});
afterEach(async () => {
  await temp.cleanup();
});

function csv(name: string, lines: string[]): string {
  const file = path.join(temp.dir, name);
  fs.writeFileSync(file, "\uFEFF" + lines.join("\n") + "\n");
  return file;
}

const HEADER = "Xã,Huyện cũ,Địa chỉ trụ sở,Giờ làm việc,Điện thoại,Lịch chi trả";

describe("import communes", () => {
  it("creates communes with their office details, reports bad rows by row and column, and is idempotent", async () => {
    const file = csv("communes.csv", [
      HEADER,
      "Xã Bắc Sơn,Bắc Sơn,Khu phố Trần Đăng Ninh,7h30-16h30,0205 3 837 000,ngày 5-7",
      "Tràng Định,,Thôn Pò Mán,,not a phone,",
      "Bắc Sơn,,,,,",
      ",,Địa chỉ,,,",
    ]);
    const report = await importCommuneList(temp.db, file);
    expect(report).toMatchObject({ rows: 4, accepted: 1, rejected: 3, created: 1 });
    expect(report.problems).toEqual([
      { row: 3, column: "office_phone", reason: "is not a phone number: write digits, e.g. 0205 3 837 000" },
      { row: 4, column: "commune", reason: "the same commune is on row 2 already" },
      { row: 5, column: "commune", reason: "is empty: write the commune's name" },
    ]);
    const communes = await rowsOf(temp.db.query, "Commune");
    expect(communes).toHaveLength(1);
    expect(communes[0]).toMatchObject({ key: "bac son", name: "Bắc Sơn", district: "Bắc Sơn", officePhone: "0205 3 837 000", payPointSchedule: "ngày 5-7" });
    const again = await importCommuneList(temp.db, file);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  });

  it("updates what changed, audits it, and keeps fields a blank cell leaves out", async () => {
    await importCommuneList(temp.db, csv("a.csv", [HEADER, "Bắc Sơn,Bắc Sơn,Khu phố 1,7h30-16h30,0205 3 837 000,ngày 5-7"]));
    const report = await importCommuneList(temp.db, csv("b.csv", [HEADER, "Bắc Sơn,,Khu phố 2,,,"]));
    expect(report).toMatchObject({ updated: 1 });
    const commune = await rowOf(temp.db.query, "Commune");
    expect(commune).toMatchObject({ officeAddress: "Khu phố 2", officeHours: "7h30-16h30" });
    const audit = (await rowOf(temp.db.query, "AuditLog", { action: "commune.updated" }))!;
    expect(JSON.parse(audit.before!)).toEqual({ officeAddress: "Khu phố 1" });
    expect(JSON.parse(audit.after!)).toEqual({ officeAddress: "Khu phố 2" });
  });

  it("writes nothing on a dry run or when all-or-nothing meets a bad row", async () => {
    const file = csv("c.csv", [HEADER, "Bắc Sơn,,,,,", "Văn Quan,,,,xx,"]);
    expect(await importCommuneList(temp.db, file, { dryRun: true })).toMatchObject({ created: 1, dryRun: true });
    expect(await importCommuneList(temp.db, file, { allOrNothing: true })).toMatchObject({ accepted: 0, aborted: true });
    expect(await countOf(temp.db.query, "Commune")).toBe(0);
  });

  it("reads XLSX, and refuses a file without the commune column", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Xã");
    sheet.addRow(["DANH SÁCH THÔNG TIN UBND XÃ"]);
    sheet.addRow(["Tên xã", "Điện thoại", "Giờ làm việc"]);
    sheet.addRow(["Văn Quan", 2053830123, "7h-17h"]);
    const file = path.join(temp.dir, "communes.xlsx");
    await workbook.xlsx.writeFile(file);
    const report = await importCommuneList(temp.db, file);
    expect(report).toMatchObject({ accepted: 1, rejected: 0 });
    expect(await rowOf(temp.db.query, "Commune")).toMatchObject({ name: "Văn Quan", officeHours: "7h-17h" });
    await expect(importCommuneList(temp.db, csv("bad.csv", ["Địa chỉ,Giờ làm việc", "x,y"]))).rejects.toThrow(ImportFileError);
  });
});
