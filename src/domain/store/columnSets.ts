import type { Row } from "../../db/query/tables.ts";

/**
 * The sets of columns several stores read, named once: a column added to a set reaches every
 * reader, and each reader's row type follows from the set (`Pick<Row<"Payment">, PaymentFromListColumn>`).
 */

/** What a monthly payment list sets on a Payment (never its status: that comes with the results). */
export const PAYMENT_FROM_LIST_COLUMNS = ["amount", "backPay", "method", "accountProvider", "accountLast4", "payDate", "payPoint"] as const;
export type PaymentFromListColumn = (typeof PAYMENT_FROM_LIST_COLUMNS)[number];

/** A payment as the person, the operator and a notice describe it: what the list said, and what became of it. */
export const PAYMENT_SHOWN_COLUMNS = [...PAYMENT_FROM_LIST_COLUMNS, "status", "paidAt", "failureReason"] as const;
export type PaymentShown = Pick<Row<"Payment">, (typeof PAYMENT_SHOWN_COLUMNS)[number]>;

/** What a method-change request asks for, as it is told back to the person and to staff (account and phone still to be masked). */
export const REQUESTED_METHOD_COLUMNS = ["reference", "requestedMethod", "accountProvider", "accountLast4", "walletPhone", "homeReason"] as const;
export type RequestedMethod = Pick<Row<"MethodChangeRequest">, (typeof REQUESTED_METHOD_COLUMNS)[number]>;

/** How a beneficiary is paid as of the latest list (the account still to be masked). */
export const BENEFICIARY_METHOD_COLUMNS = ["paymentMethod", "accountProvider", "accountLast4", "payPoint"] as const;

/** Who a beneficiary is, as staff see the record (the phone and citizen ID still to be masked). */
export const BENEFICIARY_RECORD_COLUMNS = ["code", "fullName", "dateOfBirth", "category", "communeId", "village", "phone", "citizenIdLast4"] as const;
