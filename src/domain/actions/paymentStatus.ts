import type { Action } from "../../engine/types.ts";
import { todayInVietnam } from "../../shared/dates.ts";
import { shortenName } from "../../shared/shortenName.ts";
import { requirePerson, type PersonVars } from "../person.ts";
import type { PaymentView } from "../store/paymentStore.ts";
import type { ActionDeps } from "./deps.ts";

const EARLIER_PERIODS_SHOWN = 5;

/** A payment as sentences use it: `paidDate` is the calendar day in Vietnam the money was paid. */
function forDisplay(payment: PaymentView) {
  return { ...payment, paidDate: payment.paidAt ? todayInVietnam(new Date(payment.paidAt)) : null };
}

/**
 * The period a person asking "has my money come?" means: the newest list's, but never a month
 * still to come, so a list imported ahead of its month (or another province's) does not make
 * this month's payment look missing. Null before any list.
 */
async function currentPeriod({ payments, clock }: ActionDeps): Promise<string | null> {
  const newest = await payments.latestPeriod();
  const thisMonth = todayInVietnam(clock()).slice(0, 7);
  return newest !== null && newest > thisMonth ? thisMonth : newest;
}

/** A beneficiary's newest payments, split into this period's (if they are on its list) and the earlier ones. */
async function paymentsByPeriod(deps: ActionDeps, beneficiaryId: number, count: number, period: string | null) {
  const recent = await deps.payments.payments(beneficiaryId, count);
  const current = recent[0] && period !== null && recent[0].period >= period ? recent[0] : null;
  return { period, current, earlier: current ? recent.slice(1) : recent };
}

/**
 * This period's payment of the person being asked about; or "none" with the period and the
 * latest payment they have, when they are not on this period's list (or on any list yet).
 */
export function currentPayment(deps: ActionDeps): Action {
  return async (_args, { vars }) => {
    const { period, current, earlier } = await paymentsByPeriod(deps, requirePerson(vars).beneficiaryId, 1, await currentPeriod(deps));
    if (current) return { outcome: "found", value: forDisplay(current) };
    return { outcome: "none", value: { period, last: earlier[0] ? forDisplay(earlier[0]) : null } };
  };
}

/** The periods before the current one, newest first. */
export function recentPayments(deps: ActionDeps): Action {
  return async (_args, { vars }) => {
    const { earlier } = await paymentsByPeriod(deps, requirePerson(vars).beneficiaryId, EARLIER_PERIODS_SHOWN + 1, await currentPeriod(deps));
    const shown = earlier.slice(0, EARLIER_PERIODS_SHOWN);
    return { outcome: shown.length ? "found" : "none", value: shown.map(forDisplay) };
  };
}

/**
 * The people a guardian of several may ask about, each with this period's status ("none" when not
 * on its list) and what the status sentence of a line needs (the pay date, the day it was paid,
 * why it was not): the list a guardian chooses from names the status on each person's line, and
 * "TT" answers with a line per person. `shortLabel` is the name as an SMS line shows it.
 */
export function peoplePayments(deps: ActionDeps): Action {
  return async (_args, { vars }) => {
    const chooser = vars.person as PersonVars;
    const period = await currentPeriod(deps);
    const people = [];
    for (const { id, label } of chooser.beneficiaries) {
      const { current } = await paymentsByPeriod(deps, id, 1, period);
      const shown = current ? forDisplay(current) : null;
      people.push({
        id,
        label,
        shortLabel: shortenName(label),
        period,
        status: shown?.status ?? "none",
        payDate: shown?.payDate ?? null,
        paidDate: shown?.paidDate ?? null,
        failureReason: shown?.failureReason ?? null,
      });
    }
    return { outcome: "ok", value: people };
  };
}
