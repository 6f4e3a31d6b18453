/**
 * A request to change how a beneficiary is paid, for commune staff to verify. It replaces the
 * beneficiary's pending request, if any. Fields that do not apply to the method are null.
 */
export interface RequestMethodChangeEffect {
  type: "request_method_change";
  /** What the person is told to quote ("YC" and eight letters or digits). */
  reference: string;
  beneficiaryId: number;
  /** One of the payment methods: "bank", "mobile_money", "cash", "cash_home". */
  requestedMethod: string;
  /** The bank or wallet provider (bank, mobile_money). */
  accountProvider: string | null;
  /** The account number, sealed with the service's secret (bank). */
  accountNumberSealed: string | null;
  accountLast4: string | null;
  /** The wallet's phone (mobile_money). */
  walletPhone: string | null;
  /** Why the person cannot come to the pay point (cash_home). */
  homeReason: string | null;
  /** Who asked: "beneficiary" or "guardian", and their id. */
  requestedByKind: string;
  requestedById: number | null;
  /** How the asker was identified: "phone" or "citizen_id_dob". */
  verification: string;
  /** The channel the request came through. */
  channel: string;
}

export function requestMethodChangeEffect(fields: Omit<RequestMethodChangeEffect, "type">): RequestMethodChangeEffect {
  return { type: "request_method_change", ...fields };
}
