/**
 * How long importing a province-sized payment results file takes.
 * Seeds a database with N scheduled payments for one period (default 100,000), a third of the
 * people reachable on a chat channel or USSD, then generates the provider's results for every
 * payment (95% paid, 4% failed, 1% returned) as CSV and as XLSX, imports each into its own copy
 * of the database, imports the same file again (the idempotent re-run: every row unchanged,
 * nothing queued), and prints the figures, notices queued included.
 *
 *   npx tsx bench/import-results.ts            (100,000 rows)
 *   npx tsx bench/import-results.ts --rows 20000
 *   npm run bench:imports               (both import benches, 100,000 rows each)
 *   npm run bench:imports -- --quick    (2,000 rows: checks the bench works)
 *
 * A SQLite bench: each import gets its own copy of the seeded database file, which is seeded
 * through the raw SQLite connection (db.sqlite) for speed. The import itself runs on db.sql.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { openDatabase } from "../src/db/database.ts";
import { sqlTimestamp } from "../src/db/sql/sqlTimestamp.ts";
import { printRunHeader } from "./lib/machine.ts";
import { importResultList, type ResultImportReport } from "../src/domain/imports/importResultList.ts";

process.env.LOG_LEVEL ??= "warn"; // the import's own summary line would clutter the figures

const rowsArg = process.argv.indexOf("--rows");
const QUICK = process.argv.includes("--quick");
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : QUICK ? 2_000 : 100_000;
const PERIOD = "2025-07";
/** The results come in after the pay days; the import's clock is set after them. */
const NOW = new Date("2025-08-01T03:00:00Z");

/** Deterministic, so every run imports the same file. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(2025);
const code = (i: number) => `LS${String(i + 1).padStart(7, "0")}`;

/** N beneficiaries with a scheduled payment each; a third with a channel identity (as the bot would have after they dialled). */
async function seedDatabase(file: string, count: number): Promise<void> {
  const db = await openDatabase(`file:${file}`);
  const now = sqlTimestamp(new Date("2025-07-01T00:00:00Z"));
  const communeId = Number(
    db.sqlite!.prepare(`INSERT INTO Commune (key, name, createdAt, updatedAt) VALUES ('tan thanh', 'Tân Thanh', ?, ?)`).run(now, now).lastInsertRowid,
  );
  const periodId = Number(db.sqlite!.prepare(`INSERT INTO PaymentPeriod (period, importedAt) VALUES (?, ?)`).run(PERIOD, now).lastInsertRowid);
  const beneficiary = db.sqlite!.prepare(
    `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, paymentMethod, createdAt, updatedAt)
     VALUES (?, 'Người Thụ Hưởng', '1950-01-01', ?, 'Người cao tuổi', ?, ?, ?)`,
  );
  const payment = db.sqlite!.prepare(
    `INSERT INTO Payment (beneficiaryId, periodId, amount, method, payDate, status, createdAt, updatedAt)
     VALUES (?, ?, 500000, ?, ?, 'scheduled', ?, ?)`,
  );
  const identity = db.sqlite!.prepare(
    `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, verifiedAt, createdAt, updatedAt)
     VALUES (?, ?, ?, 'phone', ?, ?, ?)`,
  );
  db.sqlite!.transaction(() => {
    for (let i = 0; i < count; i++) {
      const method = i % 3 === 0 ? "bank" : "cash";
      const id = Number(beneficiary.run(code(i), communeId, method, now, now).lastInsertRowid);
      payment.run(id, periodId, method, `2025-07-${String(5 + (i % 10)).padStart(2, "0")}`, now, now);
      if (i % 3 === 1) {
        const channel = ["telegram", "zalo", "ussd"][i % 9 === 1 ? 2 : i % 2];
        identity.run(channel, channel === "ussd" ? `+8491${String(i).padStart(7, "0")}` : String(100_000_000 + i), id, now, now, now);
      }
    }
  })();
  await db.close(); // checkpoints the WAL into the file, which is then copied
}

interface ResultRow {
  values: (string | Date)[];
}

const HEADER = ["STT", "Mã đối tượng", "Kỳ chi trả", "Kết quả chi trả", "Ngày chi trả", "Mã giao dịch", "Lý do"];
const FAILURES = ["Tài khoản bị khóa", "Sai số tài khoản", "Ví chưa được kích hoạt", "Người nhận đã chết", "Không liên lạc được"];

function generateRows(count: number): ResultRow[] {
  const rows: ResultRow[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const status = r < 0.95 ? "Đã chi trả" : r < 0.99 ? "Không thành công" : "Trả lại";
    const day = 5 + (i % 10);
    const paidAt = status === "Không thành công" ? "" : new Date(Date.UTC(2025, 6, day, 7 + Math.floor(random() * 9), Math.floor(random() * 60)));
    rows.push({
      values: [
        String(i + 1),
        code(i),
        PERIOD,
        status,
        paidAt,
        `FT25${String(190_000_000 + i)}`,
        status === "Đã chi trả" ? "" : FAILURES[Math.floor(random() * FAILURES.length)],
      ],
    });
  }
  return rows;
}

const two = (n: number) => String(n).padStart(2, "0");
/** CSV as a clerk exports it: dd/mm/yyyy HH:mm, Vietnamese status words. */
function writeCsv(file: string, rows: ResultRow[]): void {
  const text = (v: string | Date) =>
    v instanceof Date ? `${two(v.getUTCDate())}/${two(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${two(v.getUTCHours())}:${two(v.getUTCMinutes())}` : v;
  const lines = [HEADER.join(",")];
  for (const row of rows) lines.push(row.values.map(text).join(","));
  fs.writeFileSync(file, "\uFEFF" + lines.join("\r\n") + "\r\n");
}

/** XLSX with Date cells for paid_at (the wall-clock time as Excel keeps it). */
async function writeXlsx(file: string, rows: ResultRow[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet("Kết quả chi trả");
  sheet.addRow(HEADER).commit();
  for (const row of rows) {
    const added = sheet.addRow(row.values.map((v) => (v === "" ? null : v)));
    added.getCell(5).numFmt = "dd/mm/yyyy hh:mm";
    added.commit();
  }
  await workbook.commit();
}

async function timeImport(dbFile: string, listFile: string): Promise<{ ms: number; report: ResultImportReport }> {
  const db = await openDatabase(`file:${dbFile}`);
  try {
    const started = performance.now();
    const report = await importResultList(db, listFile, { now: NOW });
    return { ms: performance.now() - started, report };
  } finally {
    await db.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-bench-results-"));
try {
  printRunHeader("bench/import-results.ts");
  let started = performance.now();
  const seeded = path.join(dir, "seeded.db");
  await seedDatabase(seeded, ROWS);
  console.log(`seeded ${ROWS.toLocaleString("en")} scheduled payments (${Math.floor((ROWS + 1) / 3).toLocaleString("en")} people reachable) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  const rows = generateRows(ROWS);
  const csvFile = path.join(dir, "ket-qua-chi-tra-07-2025.csv");
  const xlsxFile = path.join(dir, "ket-qua-chi-tra-07-2025.xlsx");
  writeCsv(csvFile, rows);
  await writeXlsx(xlsxFile, rows);
  const size = (f: string) => `${(fs.statSync(f).size / 2 ** 20).toFixed(1)} MiB`;
  console.log(`generated ${ROWS.toLocaleString("en")} result rows in ${((performance.now() - started) / 1000).toFixed(1)} s: CSV ${size(csvFile)}, XLSX ${size(xlsxFile)}`);
  console.log("");

  const line = (label: string, ms: number, report: ResultImportReport) =>
    console.log(
      `${label.padEnd(24)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(report.rows / (ms / 1000)).toLocaleString("en").padStart(7)} rows/s   ` +
        `accepted ${report.accepted}, rejected ${report.rejected}, created ${report.created}, updated ${report.updated}, ` +
        `unchanged ${report.unchanged}, notices queued ${report.noticesQueued}`,
    );
  for (const [kind, file] of [["CSV", csvFile], ["XLSX", xlsxFile]] as const) {
    const dbFile = path.join(dir, `${kind.toLowerCase()}.db`);
    fs.copyFileSync(seeded, dbFile);
    const first = await timeImport(dbFile, file);
    line(`${kind} first import`, first.ms, first.report);
    const again = await timeImport(dbFile, file);
    line(`${kind} again (no changes)`, again.ms, again.report);
    if (first.report.rejected) console.log("  first problems:", first.report.problems.slice(0, 3));
  }
  console.log(`load average after the run:  ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
