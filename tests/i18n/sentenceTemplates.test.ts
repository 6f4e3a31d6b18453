import { describe, expect, it } from "vitest";
import { createTranslator, readLocaleResources } from "../../src/i18n/translator.ts";
import { LOCALES_DIR } from "../../src/shared/projectPaths.ts";

/** Every key of a nested sentence file, as i18next names them ("a.b.c"). */
function keysOf(tree: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "object" && v !== null ? keysOf(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

const sample = {
  payment: { period: "2026-11", name: "Nguyễn Văn An", payDate: "2026-12-05", amount: 1_250_000, method: "bank", failureReason: "Sai số tài khoản", accountProvider: "Agribank", accountLast4: "6789", payPoint: "Nhà văn hóa", paidDate: "2026-11-05", backPay: 250_000 },
  cash: { payDate: "2026-12-05" },
  request: { provider: "VNPT Money", walletPhone: "+84912345678", account: { last4: "1234" } },
  submitted: { requestId: "YC12345678", effectivePeriod: "2027-01" },
  person: { name: "Vi Thị Hoa" },
  item: { status: "paid", relation: "con", phone: "+84912345678", period: "2026-10", name: "Hoàng Văn Bảy", amount: 750_000 },
  identification: { lockMinutes: 15, attemptsLeft: 3 },
  current: { pending: { method: "cash_home" }, method: "mobile_money", accountProvider: "Viettel Money", accountLast4: "4321" },
};
const withNulls = { ...sample, payment: { ...sample.payment, failureReason: null, accountLast4: null, backPay: null, payDate: null } };

describe("sentences filled in directly give what i18next gives", () => {
  const { translate, i18n, locales } = createTranslator(LOCALES_DIR);
  const resources = readLocaleResources(LOCALES_DIR);
  for (const locale of locales) {
    it(`for every sentence in ${locale}, with values, with empty values and with none`, () => {
      const keys = keysOf(resources[locale]);
      expect(keys.length).toBeGreaterThan(100);
      for (const key of keys)
        for (const params of [sample, withNulls, {}]) {
          expect(translate(locale, key, params), `${locale} ${key}`).toBe(i18n.t(key, { ...params, lng: locale }));
        }
    });
  }
});
