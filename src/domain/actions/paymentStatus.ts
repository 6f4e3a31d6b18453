import type { Action } from "../../engine/types.ts";
import { todayInVietnam } from "../../shared/dates.ts";
import { requirePerson } from "../person.ts";
import type { PaymentView } from "../store/paymentStore.ts";
import type { ActionDeps } from "./deps.ts";

const EARLIER_PERIODS_SHOWN = 5;

/** A payment as sentences use it: `paidDate` is the calendar day in Vietnam the money was paid. */
function forDisplay(payment: PaymentView) {
  return { ...payment, paidDate: payment.paidAt ? todayInVietnam(new Date(payment.paidAt)) : null };
}

/** This period's payment of the person being asked about (the newest list that includes them). */
export function currentPayment({ payments }: ActionDeps): Action {
  return async (_args, { vars }) => {
    const [latest] = await payments.payments(requirePerson(vars).beneficiaryId, 1);
    return latest ? { outcome: "found", value: forDisplay(latest) } : { outcome: "none", value: null };
  };
}

/** The periods before the current one, newest first. */
export function recentPayments({ payments }: ActionDeps): Action {
  return async (_args, { vars }) => {
    const earlier = await payments.payments(requirePerson(vars).beneficiaryId, EARLIER_PERIODS_SHOWN, 1);
    return { outcome: earlier.length ? "found" : "none", value: earlier.map(forDisplay) };
  };
}
