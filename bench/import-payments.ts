/**
 * How long importing a province-sized monthly payment list takes.
 * Generates N realistic rows (default 100,000: five times Lạng Sơn's 20,375 beneficiaries) as
 * CSV and as XLSX in a temporary folder, imports each into a fresh database, then imports the
 * same file again (the idempotent re-run: every row unchanged), and prints the figures.
 *
 *   npx tsx bench/import-payments.ts            (100,000 rows)
 *   npx tsx bench/import-payments.ts --rows 20000
 *   npm run bench:imports               (both import benches, 100,000 rows each)
 *   npm run bench:imports -- --quick    (2,000 rows: checks the bench works)
 *
 * A SQLite bench (fresh database files); the import runs on db.sql, as on PostgreSQL.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { openDatabase } from "../src/db/database.ts";
import { printRunHeader } from "./lib/machine.ts";
import { importPaymentList, type ImportReport } from "../src/domain/imports/importPaymentList.ts";

process.env.LOG_LEVEL ??= "warn"; // the import's own summary line would clutter the figures

const rowsArg = process.argv.indexOf("--rows");
const QUICK = process.argv.includes("--quick");
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : QUICK ? 2_000 : 100_000;
const secret = randomBytes(32); // not the deployment's secret: the bench must not create data/secret.key

// ---- Realistic rows -------------------------------------------------------------------------

/** Deterministic, so every run imports the same list. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(2025);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");

const FAMILY = ["Hoàng", "Nông", "Lương", "Vi", "Lý", "Triệu", "Hà", "Lăng", "Chu", "Nguyễn", "Đinh", "Mã", "La", "Hứa", "Lộc"];
const MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang"];
const MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Hồng"];
const GIVEN = ["Páo", "Tú", "Sáng", "Hùng", "Lan", "Mai", "Hoa", "Thắm", "Pằn", "Slao", "Nhàn", "Khiêm", "Cường", "Dung", "Phượng", "Tâm"];
const COMMUNES = [
  "Phường Tam Thanh", "Phường Lương Văn Tri", "Phường Kỳ Lừa", "Phường Đông Kinh", "Xã Thất Khê", "Xã Đoàn Kết", "Xã Tân Tiến",
  "Xã Tràng Định", "Xã Quốc Khánh", "Xã Kháng Chiến", "Xã Quốc Việt", "Xã Bình Gia", "Xã Tân Văn", "Xã Hồng Phong", "Xã Hoa Thám",
  "Xã Quý Hòa", "Xã Thiện Hòa", "Xã Thiện Thuật", "Xã Thiện Long", "Xã Bắc Sơn", "Xã Hưng Vũ", "Xã Vũ Lăng", "Xã Nhất Hòa",
  "Xã Vũ Lễ", "Xã Tân Tri", "Xã Văn Quan", "Xã Điềm He", "Xã Tri Lễ", "Xã Yên Phúc", "Xã Tân Đoàn", "Xã Khánh Khê", "Xã Na Sầm",
  "Xã Hoàng Văn Thụ", "Xã Thụy Hùng", "Xã Hội Hoan", "Xã Lộc Bình", "Xã Mẫu Sơn", "Xã Na Dương", "Xã Lợi Bác", "Xã Thống Nhất",
  "Xã Xuân Dương", "Xã Khuất Xá", "Xã Đình Lập", "Xã Thái Bình", "Xã Châu Sơn", "Xã Kiên Mộc", "Xã Hữu Lũng", "Xã Tuấn Sơn",
  "Xã Tân Thành", "Xã Vân Nham", "Xã Thiện Tân", "Xã Yên Bình", "Xã Hữu Liên", "Xã Cai Kinh", "Xã Chi Lăng", "Xã Nhân Lý",
  "Xã Chiến Thắng", "Xã Quan Sơn", "Xã Bằng Mạc", "Xã Vạn Linh", "Xã Đồng Đăng", "Xã Cao Lộc", "Xã Công Sơn", "Xã Ba Sơn", "Xã Văn Lãng",
];
const OLD_DISTRICTS = ["Tràng Định", "Bình Gia", "Bắc Sơn", "Văn Quan", "Văn Lãng", "Cao Lộc", "Lộc Bình", "Đình Lập", "Hữu Lũng", "Chi Lăng"];
const VILLAGES = ["Nà Lìn", "Bản Chắt", "Khuổi Phầy", "Pác Cáp", "Nà Pàn", "Còn Quan", "Bản Giềng", "Khòn Mò", "Phai Xả"];
const CATEGORIES = [
  { name: "Người cao tuổi", coefficient: 1.0, minAge: 80, weight: 44 },
  { name: "Người cao tuổi nghèo không có người phụng dưỡng", coefficient: 1.5, minAge: 60, weight: 6 },
  { name: "Người khuyết tật nặng", coefficient: 1.5, minAge: 16, weight: 40 },
  { name: "Người khuyết tật đặc biệt nặng", coefficient: 2.0, minAge: 16, weight: 6 },
  { name: "Trẻ em không nơi nương tựa", coefficient: 2.5, minAge: 2, weight: 2 },
  { name: "Người đơn thân nghèo nuôi con", coefficient: 1.0, minAge: 22, weight: 2 },
];
const PHONE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "081", "082", "083", "084", "085", "088", "091", "094", "070", "076", "077", "078", "079", "090", "093"];
const BANKS = ["Agribank", "VietinBank", "BIDV", "Vietcombank"];
const WALLETS = ["Viettel Money", "VNPT Money", "MobiFone Money"];
const RELATIONS = ["Con", "Vợ", "Chồng", "Cháu", "Bà nội", "Ông nội", "Mẹ"];

const HEADER = [
  "STT", "Mã đối tượng", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Xã/Phường", "Thôn/bản", "Huyện cũ",
  "Loại đối tượng", "Hệ số", "Mức hưởng", "Kỳ chi trả", "Số tiền", "Truy lĩnh", "Ngày chi trả", "Hình thức chi trả", "Ngân hàng",
  "Số tài khoản", "Điểm chi trả", "Người nhận thay", "SĐT người nhận thay", "CCCD người nhận thay", "Quan hệ",
];

interface BenchRow {
  values: (string | number | Date)[];
}

const weightedCategory = (() => {
  const total = CATEGORIES.reduce((sum, c) => sum + c.weight, 0);
  return () => {
    let r = random() * total;
    for (const c of CATEGORIES) if ((r -= c.weight) < 0) return c;
    return CATEGORIES[0];
  };
})();

const phone = () => `${pick(PHONE_PREFIXES)}${digits(7)}`;
const usedIds = new Set<string>();
/** A unique ID whose century/sex and year digits agree with the birth date (Lạng Sơn's province code 020). */
function citizenId(year: number, female: boolean): string {
  for (;;) {
    const id = `020${(year >= 2000 ? 2 : 0) + (female ? 1 : 0)}${String(year % 100).padStart(2, "0")}${digits(6)}`;
    if (!usedIds.has(id)) return usedIds.add(id), id;
  }
}
const ddmmyyyy = (y: number, m: number, d: number) => `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;

function generateRows(count: number): BenchRow[] {
  const rows: BenchRow[] = [];
  const guardians: { name: string; phone: string; id: string }[] = [];
  for (let i = 0; i < count; i++) {
    const category = weightedCategory();
    const female = random() < 0.55;
    const age = category.minAge + Math.floor(random() * (category.minAge >= 60 ? 25 : 40));
    const year = 2025 - age;
    const [month, day] = [1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28)];
    const monthly = Math.round(500_000 * category.coefficient);
    const backPay = random() < 0.03 ? monthly * (1 + Math.floor(random() * 3)) : 0;
    const r = random();
    const method = r < 0.3 ? "Ngân hàng" : r < 0.45 ? "Ví điện tử" : r < 0.95 ? "Tiền mặt" : "Tiền mặt tại nhà";
    const ownPhone = random() < 0.7 ? phone() : "";
    const provider = method === "Ngân hàng" ? pick(BANKS) : method === "Ví điện tử" ? pick(WALLETS) : "";
    const account = method === "Ngân hàng" ? digits(13) : method === "Ví điện tử" && !ownPhone ? `0${digits(9)}` : "";
    // Children and people with severe disabilities are often paid to a relative, who may care for two.
    let guardian = { name: "", phone: "", id: "", relation: "" };
    if (category.minAge < 16 || (category.name.includes("khuyết tật") && random() < 0.25)) {
      const g =
        guardians.length && random() < 0.2
          ? pick(guardians)
          : { name: `${pick(FAMILY)} ${pick(MIDDLE_FEMALE)} ${pick(GIVEN)}`, phone: phone(), id: random() < 0.6 ? citizenId(1970 + Math.floor(random() * 20), true) : "" };
      guardians.push(g);
      guardian = { ...g, relation: pick(RELATIONS) };
    }
    rows.push({
      values: [
        i + 1,
        `LS${String(i + 1).padStart(7, "0")}`,
        `${pick(FAMILY)} ${pick(female ? MIDDLE_FEMALE : MIDDLE_MALE)} ${pick(GIVEN)}`,
        new Date(Date.UTC(year, month - 1, day)),
        female ? "Nữ" : "Nam",
        citizenId(year, female),
        ownPhone,
        COMMUNES[i % COMMUNES.length],
        pick(VILLAGES),
        OLD_DISTRICTS[i % OLD_DISTRICTS.length],
        category.name,
        category.coefficient,
        monthly,
        "2025-07",
        monthly + backPay,
        backPay,
        new Date(Date.UTC(2025, 6, 5 + (i % 10))),
        method,
        provider,
        account,
        method === "Tiền mặt" ? `Nhà văn hoá thôn ${pick(VILLAGES)}` : "",
        guardian.name,
        guardian.phone,
        guardian.id,
        guardian.relation,
      ],
    });
  }
  return rows;
}

// ---- Files ----------------------------------------------------------------------------------

/** CSV as a clerk exports it: dd/mm/yyyy dates, dotted amounts, decimal comma. */
function writeCsv(file: string, rows: BenchRow[]): void {
  const text = (v: string | number | Date, column: string): string => {
    if (v instanceof Date) return ddmmyyyy(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
    if (typeof v === "number" && column === "Hệ số") return String(v).replace(".", ",");
    if (typeof v === "number" && column !== "STT") return v.toLocaleString("vi-VN");
    return String(v);
  };
  const cell = (v: string | number | Date, column: string) => {
    const t = text(v, column);
    return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const lines = [HEADER.join(",")];
  for (const row of rows) lines.push(row.values.map((v, i) => cell(v, HEADER[i])).join(","));
  fs.writeFileSync(file, "\uFEFF" + lines.join("\r\n") + "\r\n");
}

/** XLSX with typed cells: Date cells for dates, numbers for money, as a workbook edited in Excel has. */
async function writeXlsx(file: string, rows: BenchRow[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet("Danh sách chi trả");
  sheet.addRow(HEADER).commit();
  for (const row of rows) {
    const added = sheet.addRow(row.values);
    added.getCell(4).numFmt = "dd/mm/yyyy";
    added.getCell(17).numFmt = "dd/mm/yyyy";
    added.commit();
  }
  await workbook.commit();
}

// ---- Run ------------------------------------------------------------------------------------

async function timeImport(dbFile: string, listFile: string): Promise<{ ms: number; report: ImportReport }> {
  const db = await openDatabase(`file:${dbFile}`);
  try {
    const started = performance.now();
    const report = await importPaymentList(db, listFile, { secret });
    return { ms: performance.now() - started, report };
  } finally {
    await db.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-bench-import-"));
try {
  printRunHeader("bench/import-payments.ts");
  const started = performance.now();
  const rows = generateRows(ROWS);
  const csvFile = path.join(dir, "danh-sach-chi-tra-07-2025.csv");
  const xlsxFile = path.join(dir, "danh-sach-chi-tra-07-2025.xlsx");
  writeCsv(csvFile, rows);
  await writeXlsx(xlsxFile, rows);
  const size = (f: string) => `${(fs.statSync(f).size / 2 ** 20).toFixed(1)} MiB`;
  console.log(`generated ${ROWS.toLocaleString("en")} rows in ${((performance.now() - started) / 1000).toFixed(1)} s: CSV ${size(csvFile)}, XLSX ${size(xlsxFile)}`);
  console.log("");

  const line = (label: string, ms: number, report: ImportReport) =>
    console.log(
      `${label.padEnd(26)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(report.rows / (ms / 1000)).toLocaleString("en").padStart(7)} rows/s   ` +
        `accepted ${report.accepted}, rejected ${report.rejected}, created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}`,
    );
  for (const [kind, file] of [["CSV", csvFile], ["XLSX", xlsxFile]] as const) {
    const dbFile = path.join(dir, `${kind.toLowerCase()}.db`);
    const first = await timeImport(dbFile, file);
    line(`${kind} into a fresh database`, first.ms, first.report);
    const again = await timeImport(dbFile, file);
    line(`${kind} again (no changes)`, again.ms, again.report);
    if (first.report.rejected) console.log("  first problems:", first.report.problems.slice(0, 3));
  }
  console.log(`load average after the run:  ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
