import { randomBytes } from "node:crypto";
import { requestMethodChangeEffect } from "../../engine/effects/index.ts";
import type { Action } from "../../engine/types.ts";
import { nextPeriod, todayInVietnam } from "../../shared/dates.ts";
import { PAYMENT_METHODS, type PaymentMethod } from "../paymentMethods.ts";
import { requirePerson } from "../person.ts";
import type { AccountAnswer } from "../validators.ts";
import type { ActionDeps } from "./deps.ts";

/** How the person is paid now, and any change still waiting for commune staff. */
export function currentMethod({ people, payments }: ActionDeps): Action {
  return async (_args, { vars }) => {
    const person = requirePerson(vars);
    const beneficiary = (await people.beneficiary(person.beneficiaryId))!;
    const pending = await payments.pendingMethodChange(person.beneficiaryId);
    return {
      outcome: "ok",
      value: {
        method: beneficiary.paymentMethod,
        accountProvider: beneficiary.accountProvider,
        accountLast4: beneficiary.accountLast4,
        payPoint: beneficiary.payPoint,
        pending: pending ? { method: pending.requestedMethod, reference: pending.reference } : null,
      },
    };
  };
}

// Unambiguous letters and digits: a reference read aloud over the phone should not confuse O and 0.
const REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export function newReference(prefix = "YC"): string {
  const bytes = randomBytes(8);
  return prefix + [...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join("");
}

/**
 * Records a request to change how the person is paid. It does not change the method: commune
 * staff verify it, and it takes effect from the next payment list. A newer request replaces an
 * older pending one; the same request twice is recorded once.
 */
export function requestMethodChange({ people, payments, clock }: ActionDeps): Action {
  return async (args, { vars, conversation }) => {
    const person = requirePerson(vars);
    const method = String(args.method) as PaymentMethod;
    if (!PAYMENT_METHODS.includes(method)) throw new Error(`unknown payment method "${method}"`);
    const provider = method === "bank" || method === "mobile_money" ? (args.provider as string | undefined) ?? null : null;
    const account = method === "bank" ? (args.account as AccountAnswer | undefined) ?? null : null;
    const walletPhone = method === "mobile_money" ? (args.walletPhone as string | undefined) ?? null : null;
    const homeReason = method === "cash_home" ? (args.homeReason as string | undefined) ?? null : null;

    const beneficiary = (await people.beneficiary(person.beneficiaryId))!;
    const sameAsNow =
      beneficiary.paymentMethod === method &&
      (method === "cash" || method === "cash_home" || (method === "bank" && beneficiary.accountProvider === provider && beneficiary.accountLast4 === account?.last4));
    if (sameAsNow) return { outcome: "unchanged" };

    const pending = await payments.pendingMethodChange(person.beneficiaryId);
    if (
      pending &&
      pending.requestedMethod === method &&
      pending.accountProvider === provider &&
      pending.accountLast4 === (account?.last4 ?? null) &&
      pending.walletPhone === walletPhone &&
      pending.homeReason === homeReason
    ) {
      return { outcome: "already_requested", value: { requestId: pending.reference } };
    }
    const reference = newReference();
    const effectivePeriod = nextPeriod(await payments.latestPeriod() ?? todayInVietnam(clock()).slice(0, 7));
    return {
      outcome: "requested",
      value: { requestId: reference, effectivePeriod },
      vars: { request: null },
      effects: [
        requestMethodChangeEffect({
          reference,
          beneficiaryId: person.beneficiaryId,
          requestedMethod: method,
          accountProvider: provider,
          accountNumberSealed: account?.sealed ?? null,
          accountLast4: account?.last4 ?? null,
          walletPhone,
          homeReason,
          requestedByKind: person.kind,
          requestedById: (person.kind === "guardian" ? person.guardianId : person.beneficiaryId) ?? null,
          verification: person.verification,
          channel: conversation.channel,
        }),
      ],
    };
  };
}
