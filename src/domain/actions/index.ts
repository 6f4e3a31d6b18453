import type { Action } from "../../engine/types.ts";
import type { ActionDeps } from "./deps.ts";
import { openEscalation } from "./escalation.ts";
import { cashPaymentInfo, communeContact, registeredReceivers } from "./guidance.ts";
import { chooseBeneficiary, identify, verifyIdentity } from "./identification.ts";
import { currentMethod, requestMethodChange } from "./paymentMethod.ts";
import { currentPayment, peoplePayments, recentPayments } from "./paymentStatus.ts";
import { consentStatus, openPrivacyRequest, recordConsent, withdrawConsent } from "./privacy.ts";
import { remindersStatus, setLanguage, setReminders } from "./preferences.ts";

/** Every action a flow may call by name. `flows check` reports a flow that names any other. */
export function createActions(deps: ActionDeps): Record<string, Action> {
  return {
    identify: identify(deps),
    verify_identity: verifyIdentity(deps),
    select_beneficiary: chooseBeneficiary(deps),
    current_payment: currentPayment(deps),
    recent_payments: recentPayments(deps),
    people_payments: peoplePayments(deps),
    current_method: currentMethod(deps),
    request_method_change: requestMethodChange(deps),
    reminders_status: remindersStatus(deps),
    set_reminders: setReminders(),
    set_language: setLanguage(),
    open_escalation: openEscalation(deps),
    registered_receivers: registeredReceivers(deps),
    cash_payment_info: cashPaymentInfo(deps),
    commune_contact: communeContact(deps),
    consent_status: consentStatus(deps),
    record_consent: recordConsent(),
    open_privacy_request: openPrivacyRequest(),
    withdraw_consent: withdrawConsent(),
  };
}

export type { ActionDeps };
