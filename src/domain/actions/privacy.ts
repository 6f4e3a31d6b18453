import type { Action } from "../../engine/types.ts";
import type { Effect } from "../../engine/effects/index.ts";
import { openPrivacyRequestEffect, recordConsentEffect, setRemindersEffect, type RecordConsentEffect } from "../../engine/effects/index.ts";
import type { PersonVars } from "../person.ts";
import type { ActionDeps } from "./deps.ts";
import { newReference } from "./paymentMethod.ts";

type PrivacyRequestKind = "access" | "correction" | "erasure" | "withdrawal";
const REQUEST_KINDS: PrivacyRequestKind[] = ["access", "correction", "erasure", "withdrawal"];

/**
 * Has this channel identity answered the notice of this version? Any answer counts (agreed,
 * declined, withdrew later): the notice is shown once. After an erasure the next contact is a
 * first contact again.
 */
export function consentStatus({ people }: ActionDeps): Action {
  return async (args, { conversation }) => {
    const noticeVersion = String(args.version);
    const last = await people.lastConsent(conversation.channel, conversation.userId);
    const seen = last !== undefined && last.decision !== "erased" && last.noticeVersion === noticeVersion;
    return { outcome: seen ? "seen" : "needed", vars: { privacy: { noticeVersion } } };
  };
}

/** The person's explicit answer to the notice: evidence (channel, time, notice version). Declining also turns messages off. */
export function recordConsent(): Action {
  return (args, { vars }) => {
    const decision = args.decision === "given" ? "given" : "declined";
    const effects: Effect[] = [consentEffect(decision, String(args.version), vars.person as PersonVars | undefined)];
    if (decision === "declined") effects.push(setRemindersEffect({ on: false }));
    return { outcome: decision, effects };
  };
}

/** A request to see, correct or delete the person's data: an item in their commune's queue. */
export function openPrivacyRequest(): Action {
  return (args, { vars, locale }) => {
    const kind = args.kind as PrivacyRequestKind;
    if (!REQUEST_KINDS.includes(kind)) throw new Error(`unknown personal-data request kind "${String(args.kind)}"`);
    const effect = requestEffect(kind, vars.person as PersonVars | undefined, locale, typeof args.details === "string" ? args.details : null);
    return { outcome: "opened", value: { reference: effect.reference }, vars: { privacy: { ...(vars.privacy as object), details: null } }, effects: [effect] };
  };
}

/**
 * Withdrawal: recorded as evidence, reminders and broadcasts stop (remindersOn off, pending
 * broadcasts cancelled), and a request opens so the commune acts on it. Identification keeps
 * working: the payment status is a legal duty.
 */
export function withdrawConsent(): Action {
  return (args, { vars, locale }) => {
    const person = vars.person as PersonVars | undefined;
    const request = requestEffect("withdrawal", person, locale, null);
    return {
      outcome: "withdrawn",
      value: { reference: request.reference },
      effects: [consentEffect("withdrawn", String(args.version ?? ""), person), setRemindersEffect({ on: false }), request],
    };
  };
}

function who(person: PersonVars | undefined) {
  return {
    beneficiaryId: person?.beneficiaryId ?? null,
    guardianId: person?.kind === "guardian" ? person.guardianId ?? null : null,
  };
}

function consentEffect(decision: RecordConsentEffect["decision"], noticeVersion: string, person: PersonVars | undefined): Effect {
  return recordConsentEffect({ decision, noticeVersion, ...who(person) });
}

function requestEffect(kind: PrivacyRequestKind, person: PersonVars | undefined, locale: string, details: string | null) {
  return openPrivacyRequestEffect({ reference: newReference("DL"), kind, details, locale, ...who(person) });
}
