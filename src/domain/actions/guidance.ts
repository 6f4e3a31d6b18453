import type { Action } from "../../engine/types.ts";
import { requirePerson } from "../person.ts";
import type { ActionDeps } from "./deps.ts";

/** Who is registered to receive for the person being asked about. */
export function registeredReceivers({ people }: ActionDeps): Action {
  return async (_args, { vars }) => {
    const receivers = (await people.receiversOf(requirePerson(vars).beneficiaryId)).map((r) => ({ ...r, relation: r.relation ?? "-" }));
    return { outcome: receivers.length ? "some" : "none", value: receivers };
  };
}

/** Where and when the person collects cash: their pay point and date, and the commune's hours. */
export function cashPaymentInfo({ payments, people }: ActionDeps): Action {
  return async (_args, { vars }) => {
    const { beneficiaryId } = requirePerson(vars);
    const [payment] = await payments.payments(beneficiaryId, 1);
    if (!payment) return { outcome: "none", value: null };
    const schedule = (await people.communeOf(beneficiaryId))?.payPointSchedule ?? null;
    const value = { method: payment.method, payPoint: payment.payPoint, payDate: payment.payDate, schedule };
    if (payment.method === "cash_home") return { outcome: "at_home", value };
    if (payment.method === "cash" && payment.payPoint) return { outcome: "pay_point", value };
    if (payment.method === "cash") return { outcome: "pay_point", value: { ...value, payPoint: "-" } };
    return { outcome: "not_cash", value };
  };
}

/** The commune office's address, hours and phone, when the commune has sent them. */
export function communeContact({ people }: ActionDeps): Action {
  return async (_args, { vars }) => {
    const commune = await people.communeOf(requirePerson(vars).beneficiaryId);
    const known = commune && (commune.officeAddress || commune.officeHours || commune.officePhone);
    return { outcome: known ? "known" : "unknown", value: commune ?? null };
  };
}
