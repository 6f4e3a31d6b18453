import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { importResultList } from "../../src/domain/imports/importResultList.ts";
import type { Services } from "../../src/services.ts";

/**
 * People in every payment state, added beside the demo data through the real importers (a
 * November and a December list, then the December results), with names, amounts, pay points and
 * reasons at least as long as the demo's longest: what a status screen must fit.
 */
export const STATUS_PEOPLE = {
  /** December by bank, not yet paid; back pay. */
  scheduledBank: "+84388000901",
  /** December in cash at a pay point with a long name; back pay. */
  scheduledCash: "+84388000902",
  /** December in cash at home. */
  scheduledHome: "+84388000903",
  /** December failed ("Tài khoản không tồn tại"), 1.500.000 đ with 750.000 đ back pay: the case of issue 13. */
  failed: "+84388000904",
  /** December paid to mobile money on 05/12/2026. */
  paid: "+84388000905",
  /** December returned by the bank, with a long reason. */
  returned: "+84388000906",
  /** On November's list (paid, as everyone here), not on December's. */
  noneThisMonth: "+84388000907",
  /** Guardian of two: one failed, one paid. */
  guardian: "+84388000908",
} as const;

const HEADER =
  "beneficiary_code,full_name,date_of_birth,sex,citizen_id,phone,commune,district,village,category,coefficient,monthly_amount,period,amount,pay_date,payment_method,account_provider,account_number,pay_point,guardian_name,guardian_phone,guardian_citizen_id,guardian_relation";

const LONG_POINT = "Nhà văn hóa thôn Khuổi Khỉn, xã Tràng Định";
const GUARDIAN = ["Nông Văn Thành Trung Lương (DEMO)", "0388000908", "020058001908", "con trai"];

/**
 * The list of a period, one row per person. Everyone is on November's list (and paid, below);
 * DEMO-T907 is not on December's.
 */
function rows(period: "2026-11" | "2026-12"): string[] {
  const row = (r: (string | number)[]) => r.map((v) => (String(v).includes(",") ? `"${v}"` : v)).join(",");
  const base = (code: string, name: string, dob: string, sex: string, id: string, phone: string) =>
    [code, name, dob, sex, id, phone, "Tràng Định", "Tràng Định", "Thôn Khuổi Khỉn", "Người cao tuổi", "2.5"];
  const november = row([...base("DEMO-T907", "Lương Thị Hồng Nhung Vi (DEMO)", "07/07/1947", "nữ", "020147000907", "0388000907"), 750000, period, 750000, "06/11/2026", "tiền mặt", "", "", LONG_POINT, "", "", "", ""]);
  const december = [
    row([...base("DEMO-T901", "Hoàng Thị Phương Thảo Nguyễn (DEMO)", "01/01/1941", "nữ", "020141000901", "0388000901"), 2500000, period, 12500000, "25/12/2026", "ngân hàng", "Vietcombank", "0071000123456", "", "", "", "", ""]),
    row([...base("DEMO-T902", "Nông Văn Thành Trung Lương (DEMO)", "02/02/1942", "nam", "020042000902", "0388000902"), 2500000, period, 12500000, "25/12/2026", "tiền mặt", "", "", LONG_POINT, "", "", "", ""]),
    row([...base("DEMO-T903", "Hoàng Văn Thành Trung Lương (DEMO)", "03/03/1943", "nam", "020043000903", "0388000903"), 2500000, period, 12500000, "25/12/2026", "tiền mặt tại nhà", "", "", "", "", "", "", ""]),
    row([...base("DEMO-T904", "Đinh Thị Phương Thảo (DEMO)", "04/04/1944", "nữ", "020144000904", "0388000904"), 750000, period, 1500000, "05/12/2026", "ngân hàng", "Agribank", "4200111122223", "", "", "", "", ""]),
    row([...base("DEMO-T905", "Vi Văn Thành Trung Nông (DEMO)", "05/05/1945", "nam", "020045000905", "0388000905"), 2500000, period, 12500000, "05/12/2026", "ví điện tử", "MobiFone Money", "0388000905", "", "", "", "", ""]),
    row([...base("DEMO-T906", "Lương Thị Phương Thảo Hoàng (DEMO)", "06/06/1946", "nữ", "020146000906", "0388000906"), 2500000, period, 12500000, "05/12/2026", "ngân hàng", "VietinBank", "106009876543", "", "", "", "", ""]),
    row([...base("DEMO-T908", "Hoàng Thị Phương Thảo Lương (DEMO)", "08/08/1938", "nữ", "020138000908", ""), 2500000, period, 12500000, "05/12/2026", "ngân hàng", "Vietcombank", "0071000999888", "", ...GUARDIAN]),
    row([...base("DEMO-T909", "Lương Văn Thành Trung Hoàng (DEMO)", "09/09/1939", "nam", "020039000909", ""), 2500000, period, 12500000, "05/12/2026", "ngân hàng", "Vietcombank", "0071000777666", "", ...GUARDIAN]),
  ];
  return period === "2026-12" ? december : [november, ...december.map((r) => r.replace(/\/12\/2026/g, "/11/2026"))];
}

const RESULTS = [
  "beneficiary_code,period,status,paid_at,reference,failure_reason",
  ...["T901", "T902", "T903", "T904", "T905", "T906", "T907", "T908", "T909"].map((code) => `DEMO-${code},2026-11,paid,06/11/2026 09:00,${code}-11,`),
  "DEMO-T904,2026-12,failed,,,Tài khoản không tồn tại",
  "DEMO-T905,2026-12,paid,05/12/2026 09:30,T905-12,",
  "DEMO-T906,2026-12,returned,,,Tài khoản đã bị khóa hoặc sai tên chủ tài khoản",
  "DEMO-T908,2026-12,failed,,,Tài khoản không tồn tại",
  "DEMO-T909,2026-12,paid,05/12/2026 10:00,T909-12,",
];

/** Imports the people of STATUS_PEOPLE into a test server's database (before anyone dials: no notice is queued). */
export async function importPaymentStatusPeople(services: Pick<Services, "db" | "secret">): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-status-"));
  try {
    for (const period of ["2026-11", "2026-12"] as const) {
      const file = path.join(dir, `status-people-${period}.csv`);
      fs.writeFileSync(file, [HEADER, ...rows(period)].join("\n") + "\n");
      const report = await importPaymentList(services.db, file, { secret: services.secret });
      if (report.rejected > 0) throw new Error(`status people ${period}: ${JSON.stringify(report.problems)}`);
    }
    const results = path.join(dir, "status-people-results.csv");
    fs.writeFileSync(results, RESULTS.join("\n") + "\n");
    const report = await importResultList(services.db, results, { now: new Date("2026-12-06T12:00:00Z") });
    if (report.rejected > 0) throw new Error(`status people results: ${JSON.stringify(report.problems)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
