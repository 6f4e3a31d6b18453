import fs from "node:fs";
import path from "node:path";
import type { AppDatabase } from "../../src/db/database.ts";

/** The header of a typical commune list, in Vietnamese as offices write it. */
export const VIETNAMESE_HEADER = [
  "STT",
  "Mã đối tượng",
  "Họ và tên",
  "Ngày sinh",
  "Giới tính",
  "Số CCCD",
  "Số điện thoại",
  "Xã/Phường",
  "Thôn/bản",
  "Huyện cũ",
  "Xã cũ",
  "Loại đối tượng",
  "Hệ số",
  "Mức hưởng",
  "Kỳ chi trả",
  "Số tiền",
  "Ngày chi trả",
  "Hình thức chi trả",
  "Ngân hàng",
  "Số tài khoản",
  "Điểm chi trả",
  "Người nhận thay",
  "SĐT người nhận thay",
  "CCCD người nhận thay",
  "Quan hệ",
] as const;

export type ListRow = Partial<Record<(typeof VIETNAMESE_HEADER)[number], string>>;

/** Three beneficiaries of Lạng Sơn: bank, mobile money, cash with a guardian. IDs agree with the birth years. */
export function sampleRows(): ListRow[] {
  return [
    {
      "Mã đối tượng": "LS-0001",
      "Họ và tên": "Hoàng Văn Páo",
      "Ngày sinh": "12/03/1944",
      "Giới tính": "Nam",
      "Số CCCD": "020044001234",
      "Số điện thoại": "0912 345 678",
      "Xã/Phường": "Xã Tân Thanh",
      "Thôn/bản": "Nà Lìn",
      "Huyện cũ": "Văn Lãng",
      "Xã cũ": "Hoàng Văn Thụ",
      "Loại đối tượng": "Người cao tuổi",
      "Hệ số": "1,5",
      "Mức hưởng": "750.000",
      "Kỳ chi trả": "2025-07",
      "Số tiền": "750.000 đ",
      "Ngày chi trả": "10/07/2025",
      "Hình thức chi trả": "Ngân hàng",
      "Ngân hàng": "Agribank",
      "Số tài khoản": "8888 0123 4567",
      "Điểm chi trả": "",
    },
    {
      "Mã đối tượng": "LS-0002",
      "Họ và tên": "Lương Thị Mai",
      "Ngày sinh": "1962-11-05",
      "Giới tính": "Nữ",
      "Số CCCD": "020162005678",
      "Số điện thoại": "+84 987 654 321",
      "Xã/Phường": "Xã Tân Thanh",
      "Loại đối tượng": "Người khuyết tật nặng",
      "Hệ số": "1.5",
      "Mức hưởng": "750000",
      "Kỳ chi trả": "07/2025",
      "Số tiền": "1,500,000",
      "Ngày chi trả": "10/07/2025",
      "Hình thức chi trả": "Ví điện tử",
      "Ngân hàng": "Viettel Money",
    },
    {
      "Mã đối tượng": "LS-0003",
      "Họ và tên": "Nông Văn Tú",
      "Ngày sinh": "01/06/2012",
      "Giới tính": "Nam",
      "Số CCCD": "020212009876",
      "Xã/Phường": "Phường Kỳ Lừa",
      "Loại đối tượng": "Trẻ em không nơi nương tựa",
      "Kỳ chi trả": "2025-07",
      "Số tiền": "1000000",
      "Ngày chi trả": "05/07/2025",
      "Hình thức chi trả": "Tiền mặt",
      "Điểm chi trả": "Nhà văn hoá khối 5",
      "Người nhận thay": "Nông Thị Hoa",
      "SĐT người nhận thay": "84 398 765 432",
      "CCCD người nhận thay": "020180004321",
      "Quan hệ": "Bà nội",
    },
  ];
}

export function toGrid(rows: ListRow[], header: readonly string[] = VIETNAMESE_HEADER): string[][] {
  return [[...header], ...rows.map((row, i) => header.map((h) => (h === "STT" ? String(i + 1) : (row[h as keyof ListRow] ?? ""))))];
}

export function csvText(grid: string[][], delimiter = ","): string {
  const quote = (cell: string) => (/[",;\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  return grid.map((row) => row.map(quote).join(delimiter)).join("\r\n") + "\r\n";
}

export function writeCsv(dir: string, name: string, grid: string[][], options: { bom?: boolean; delimiter?: string } = {}): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, (options.bom ? "\uFEFF" : "") + csvText(grid, options.delimiter));
  return file;
}

/** Row counts of every table an import touches. */
export async function tableCounts(db: AppDatabase): Promise<Record<string, number>> {
  const tables = ["Commune", "Beneficiary", "Guardian", "GuardianLink", "PaymentPeriod", "Payment", "AuditLog"];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = (await scalar(db, `SELECT COUNT(*) AS n FROM ${table}`)) as number;
  return counts;
}

/** The first column of the first row (what better-sqlite3's pluck().get() gave). */
export async function scalar(db: AppDatabase, text: string, params: unknown[] = []): Promise<unknown> {
  const row = await db.sql.get<Record<string, unknown>>(text, params);
  return row === undefined ? undefined : Object.values(row)[0];
}

/** The first column of every row (pluck().all()). */
export async function column(db: AppDatabase, text: string, params: unknown[] = []): Promise<unknown[]> {
  return (await db.sql.all<Record<string, unknown>>(text, params)).map((row) => Object.values(row)[0]);
}
