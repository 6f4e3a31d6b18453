import type { EscalationAskedAgainEffect } from "./escalationAskedAgain.ts";
import type { IdentificationFailedEffect } from "./identificationFailed.ts";
import type { IdentificationGlobalLockEffect } from "./identificationGlobalLock.ts";
import type { LinkIdentityEffect } from "./linkIdentity.ts";
import type { OpenEscalationEffect } from "./openEscalation.ts";
import type { RequestMethodChangeEffect } from "./requestMethodChange.ts";
import type { SetLocaleEffect } from "./setLocale.ts";
import type { SetRemindersEffect } from "./setReminders.ts";
import type { RecordConsentEffect } from "./recordConsent.ts";
import type { OpenPrivacyRequestEffect } from "./openPrivacyRequest.ts";

export { escalationAskedAgainEffect } from "./escalationAskedAgain.ts";
export { identificationFailedEffect } from "./identificationFailed.ts";
export { identificationGlobalLockEffect, type IdentificationGlobalLockEffect } from "./identificationGlobalLock.ts";
export { linkIdentityEffect, type LinkIdentityEffect } from "./linkIdentity.ts";
export { openEscalationEffect } from "./openEscalation.ts";
export { requestMethodChangeEffect } from "./requestMethodChange.ts";
export { setLocaleEffect } from "./setLocale.ts";
export { setRemindersEffect } from "./setReminders.ts";
export { recordConsentEffect, type RecordConsentEffect } from "./recordConsent.ts";
export { openPrivacyRequestEffect, type OpenPrivacyRequestEffect } from "./openPrivacyRequest.ts";

/**
 * A side effect for the host to apply (write to the database, tell the operators); the engine
 * never applies one. One file per effect, each plain data with its constructor: an action builds
 * them, the host's writer (src/domain/effectWriter.ts) switches on `type` and must handle every one.
 */
export type Effect =
  | LinkIdentityEffect
  | IdentificationFailedEffect
  | IdentificationGlobalLockEffect
  | SetRemindersEffect
  | SetLocaleEffect
  | RequestMethodChangeEffect
  | OpenEscalationEffect
  | EscalationAskedAgainEffect
  | RecordConsentEffect
  | OpenPrivacyRequestEffect;
