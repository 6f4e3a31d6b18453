import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "../../src/db/database.ts";
import { importPaymentList } from "../../src/domain/imports/importPaymentList.ts";

/**
 * Synthetic beneficiaries for the HTTP bench, imported through the real importer so the service
 * reads exactly what a real list produces. Every beneficiary has their own phone on record
 * (0912000000 + i), so every simulated caller is identified by the network number, as most
 * USSD callers are.
 */
export const FIRST_PHONE = 912_000_000;

/** The caller's number as Africa's Talking sends it. */
export const callerMsisdn = (index: number) => `+84${FIRST_PHONE + index}`;

/** Three monthly lists: the latest is "this period", the two before are the "earlier periods". */
export const PERIODS = ["2026-10", "2026-11", "2026-12"] as const;

const FAMILY = ["Hoàng", "Nông", "Lương", "Vi", "Lý", "Triệu", "Hà", "Lăng", "Chu", "Nguyễn", "Đinh", "Mã", "La", "Hứa", "Lộc"];
const MIDDLE = { male: ["Văn", "Đức", "Minh", "Quang"], female: ["Thị", "Thu", "Ngọc", "Hồng"] };
const GIVEN = ["Páo", "Tú", "Sáng", "Hùng", "Lan", "Mai", "Hoa", "Thắm", "Pằn", "Slao", "Nhàn", "Khiêm", "Cường", "Dung", "Phượng", "Tâm"];
const COMMUNES = ["Bắc Sơn", "Tràng Định", "Bình Gia", "Văn Quan", "Văn Lãng", "Cao Lộc", "Lộc Bình", "Đình Lập", "Hữu Lũng", "Chi Lăng"];
const VILLAGES = ["Nà Lìn", "Bản Chắt", "Khuổi Phầy", "Pác Cáp", "Nà Pàn", "Còn Quan", "Bản Giềng", "Khòn Mò", "Phai Xả"];
// Pay points of different lengths: the longer ones make the status screen need a second USSD page.
const PAY_POINTS = ["Nhà văn hóa thôn {v}", "Nhà văn hóa thôn {v}, xã {c}, gần trường tiểu học cũ", "Bưu điện văn hóa xã {c}"];
const BANKS = ["Agribank", "VietinBank", "BIDV", "Vietcombank"];
const HEADER =
  "beneficiary_code,full_name,date_of_birth,sex,citizen_id,phone,commune,district,village,category,coefficient,monthly_amount,period,amount,pay_date,payment_method,account_provider,account_number,pay_point";

const pick = <T>(items: readonly T[], i: number) => items[i % items.length];

function rowFor(i: number, period: string): string {
  const female = i % 2 === 1;
  const year = 1940 + (i % 26);
  const dob = `${String(1 + (i % 28)).padStart(2, "0")}/${String(1 + (i % 12)).padStart(2, "0")}/${year}`;
  // 020 (Lạng Sơn) + century/sex digit + two digits of the birth year + six digits unique per person.
  const citizenId = `020${female ? 1 : 0}${String(year % 100).padStart(2, "0")}${String(i).padStart(6, "0")}`;
  const commune = pick(COMMUNES, i);
  const village = pick(VILLAGES, i * 7);
  const coefficient = [1, 1.5, 2, 2.5][i % 4];
  const monthly = 500_000 * coefficient;
  const backPay = period === PERIODS[PERIODS.length - 1] && i % 20 === 0 ? monthly : 0;
  const [y, m] = period.split("-");
  const payDate = `${String(5 + (i % 10)).padStart(2, "0")}/${m}/${y}`;
  // Six in ten are paid in cash at a pay point, as in the province; the rest by bank, wallet or at home.
  const kind = i % 10;
  const method = kind < 6 ? "tiền mặt" : kind < 8 ? "ngân hàng" : kind === 8 ? "ví điện tử" : "tiền mặt tại nhà";
  const provider = kind === 6 || kind === 7 ? pick(BANKS, i) : kind === 8 ? "Viettel Money" : "";
  const account = kind === 6 || kind === 7 ? `42${String(i).padStart(11, "0")}` : "";
  const payPoint = kind < 6 ? pick(PAY_POINTS, i).replace("{v}", village).replace("{c}", commune) : "";
  const name = `${pick(FAMILY, i)} ${pick(female ? MIDDLE.female : MIDDLE.male, i >> 1)} ${pick(GIVEN, i * 3)}`;
  return [
    `BENCH-${String(i).padStart(5, "0")}`,
    name,
    dob,
    female ? "nữ" : "nam",
    citizenId,
    `0${FIRST_PHONE + i}`,
    commune,
    commune,
    `Thôn ${village}`,
    "Người cao tuổi",
    String(coefficient),
    String(monthly),
    period,
    String(monthly + backPay),
    payDate,
    method,
    provider,
    account,
    `"${payPoint}"`,
  ].join(",");
}

/** A valid payment list of `count` people for `period`, as CSV text (also used by the fault tests). */
export function paymentListCsv(count: number, period: string): string {
  const lines = [HEADER];
  for (let i = 0; i < count; i++) lines.push(rowFor(i, period));
  return lines.join("\n") + "\n";
}

/**
 * Writes one CSV per period into `dir`, imports them in order into the database at `url`, and
 * marks the earlier periods paid (as the provider's results would), so "earlier periods" has
 * something to say. Returns the seconds the import took.
 */
export async function loadBenchBeneficiaries(url: string, dir: string, count: number, secret: Buffer): Promise<{ seconds: number; payments: number }> {
  const started = performance.now();
  const db = await openDatabase(url);
  try {
    for (const period of PERIODS) {
      const file = path.join(dir, `payments-${period}.csv`);
      fs.writeFileSync(file, paymentListCsv(count, period));
      const report = await importPaymentList(db, file, { secret });
      if (report.rejected > 0) throw new Error(`bench list ${period}: ${report.rejected} rows rejected, e.g. ${JSON.stringify(report.problems.slice(0, 3))}`);
    }
    await db.sql.run(
      `UPDATE Payment SET status = 'paid', paidAt = '2026-11-06T02:30:00.000+00:00'
       WHERE periodId IN (SELECT id FROM PaymentPeriod WHERE period < ?)`,
      [PERIODS[PERIODS.length - 1]],
    );
    const payments = (await db.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM Payment"))!.n;
    return { seconds: (performance.now() - started) / 1000, payments };
  } finally {
    await db.close();
  }
}
