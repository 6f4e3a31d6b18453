import { shortenName } from "../shared/shortenName.ts";

/**
 * Variables as long as real data gets, for checking that every screen fits a USSD page.
 * Each variant makes a different set of conditional sentences show.
 */
const person = {
  kind: "guardian",
  verification: "phone",
  beneficiaryId: 1,
  guardianId: 1,
  name: "Hoàng Thị Phương Thảo Nguyễn",
  beneficiaries: [
    { id: 1, label: "Hoàng Thị Phương Thảo Nguyễn" },
    { id: 2, label: "Nông Văn Thành Trung Lương" },
    { id: 3, label: "Lương Thị Hồng Nhung Vi" },
  ],
  isGuardianOfMany: true,
};

const payment = (status: string, method: string) => ({
  period: "2026-12",
  amount: 12_500_000,
  backPay: 10_000_000,
  method,
  accountProvider: method === "bank" ? "Vietcombank" : method === "mobile_money" ? "MobiFone Money" : null,
  accountLast4: method === "bank" || method === "mobile_money" ? "9876" : null,
  payDate: "2026-12-25",
  payPoint: method === "cash" ? "Nhà văn hóa thôn Khuổi Khỉn, xã Tràng Định" : null,
  status,
  paidAt: status === "paid" ? "2026-12-25T03:00:00.000+00:00" : null,
  paidDate: status === "paid" ? "2026-12-25" : null,
  failureReason: status === "failed" || status === "returned" ? "Tài khoản đã bị khóa hoặc sai tên chủ tài khoản" : null,
});

const common = {
  person,
  // The list a guardian chooses from (and "TT" answers with), each person with the longest status words and reasons.
  people: person.beneficiaries.map((b, i) => {
    const status = ["failed", "none", "returned"][i];
    const shown = status === "none" ? { payDate: null, paidDate: null, failureReason: null } : payment(status, "bank");
    return { ...b, shortLabel: shortenName(b.label), period: "2026-12", status, payDate: shown.payDate, paidDate: shown.paidDate, failureReason: shown.failureReason };
  }),
  identification: { attemptsLeft: 4, lockMinutes: 1440 },
  pastPayments: [1, 2, 3, 4, 5].map(() => payment("paid", "bank")),
  current: {
    method: "mobile_money",
    accountProvider: "MobiFone Money",
    accountLast4: "9876",
    payPoint: "Nhà văn hóa thôn Khuổi Khỉn, xã Tràng Định",
    pending: { method: "cash_home", reference: "YCABCDEFGH" },
  },
  request: { provider: "MobiFone Money", account: { last4: "9876" }, walletPhone: "+84912345678" },
  submitted: { requestId: "YCABCDEFGH", effectivePeriod: "2027-01" },
  receivers: [
    { name: "Hoàng Văn Thành Trung Lương", relation: "con trai", phone: "+84912345678" },
    { name: "Nông Thị Phương Thảo", relation: "người được ủy quyền", phone: "+84987654321" },
  ],
  cash: {
    method: "cash",
    payPoint: "Nhà văn hóa thôn Khuổi Khỉn, xã Tràng Định",
    payDate: "2026-12-25",
    schedule: "7h30-11h30 và 13h30-16h30, ngày 5 đến ngày 10 hằng tháng",
  },
  commune: {
    name: "xã Tràng Định",
    officeAddress: "Số 1 đường Hoàng Văn Thụ, thôn Pò Mán, xã Tràng Định, tỉnh Lạng Sơn",
    officeHours: "Thứ Hai đến Thứ Sáu, 7h30-11h30 và 13h30-16h30",
    officePhone: "0205 3 880 123",
  },
};

export function sampleVariants(): Record<string, unknown>[] {
  const variants: Record<string, unknown>[] = [];
  for (const channel of ["ussd", "telegram"]) {
    for (const status of ["scheduled", "paid", "failed", "returned"]) {
      for (const method of ["bank", "cash", "cash_home"]) variants.push({ ...common, channel, payment: payment(status, method) });
    }
    // Not on this period's list: the period, and the latest payment the person has.
    variants.push({ ...common, channel, payment: { period: "2026-12", last: payment("returned", "bank") } });
  }
  return variants;
}
