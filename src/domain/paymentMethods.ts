import { matchKey } from "../shared/text.ts";

export const PAYMENT_METHODS = ["bank", "mobile_money", "cash", "cash_home"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** How payment lists name the methods: the English keys, and the Vietnamese labels offices use. */
const ALIASES: Record<string, PaymentMethod> = {};
const aliasList: Record<PaymentMethod, string[]> = {
  bank: ["bank", "ngân hàng", "tài khoản ngân hàng", "chuyển khoản", "TK ngân hàng"],
  mobile_money: ["mobile_money", "mobile money", "ví điện tử", "tiền di động", "ví", "e-wallet"],
  cash: ["cash", "tiền mặt", "tiền mặt tại điểm chi trả", "tại điểm chi trả", "điểm chi trả", "bưu điện"],
  cash_home: ["cash_home", "cash at home", "tiền mặt tại nhà", "chi trả tại nhà", "tại nhà"],
};
for (const [method, names] of Object.entries(aliasList)) {
  for (const name of names) ALIASES[matchKey(name)] = method as PaymentMethod;
}

export function parsePaymentMethod(raw: string): PaymentMethod | null {
  return ALIASES[matchKey(raw)] ?? null;
}

