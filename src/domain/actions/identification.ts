import {
  identificationFailedEffect,
  identificationGlobalLockEffect,
  linkIdentityEffect,
  type IdentificationGlobalLockEffect,
  type LinkIdentityEffect,
} from "../../engine/effects/index.ts";
import type { Action } from "../../engine/types.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { personFor, selectBeneficiary, type PersonVars } from "../person.ts";
import type { CitizenIdAnswer } from "../validators.ts";
import type { ActionDeps } from "./deps.ts";

/**
 * Who is calling? A channel identity verified earlier, or a phone the channel vouches for (the
 * USSD network number, a Telegram contact the sender shared of themselves), matched against the
 * phones on record for beneficiaries and guardians.
 */
export function identify({ people, clock }: ActionDeps): Action {
  return async (_args, { conversation, vars }) => {
    const known = vars.person as PersonVars | undefined;
    if (known) return { outcome: known.beneficiaryId ? "identified" : "choose_person" };
    const identity = await people.identity(conversation.channel, conversation.userId);
    const locale = identity?.locale === "en" || identity?.locale === "vi" ? identity.locale : undefined;
    if (identity?.lockedUntil && identity.lockedUntil > sqlTimestamp(clock())) {
      return { outcome: "locked", locale, vars: { identification: lockInfo(identity.lockedUntil, clock()) } };
    }
    let person: PersonVars | null = null;
    if (identity?.beneficiaryId || identity?.guardianId) {
      const own = identity.beneficiaryId ? await people.beneficiary(identity.beneficiaryId) : undefined;
      person = await personFor(
        people,
        { beneficiaries: own ? [own] : [], guardianIds: identity.guardianId ? [identity.guardianId] : [] },
        (identity.verification as PersonVars["verification"]) ?? "citizen_id_dob",
      );
    }
    if (!person && conversation.phone) {
      person = await personFor(
        people,
        { beneficiaries: await people.beneficiariesWithPhone(conversation.phone), guardianIds: await people.guardianIdsWithPhone(conversation.phone) },
        "phone",
      );
      if (person) {
        return {
          outcome: person.beneficiaryId ? "identified" : "choose_person",
          locale,
          vars: { person },
          effects: [linkEffect(person)],
        };
      }
    }
    if (!person) return { outcome: "unknown", locale };
    return { outcome: person.beneficiaryId ? "identified" : "choose_person", locale, vars: { person } };
  };
}

function linkEffect(person: PersonVars): LinkIdentityEffect {
  return linkIdentityEffect({
    verification: person.verification,
    beneficiaryId: person.kind === "beneficiary" ? person.beneficiaryId ?? null : null,
    guardianId: person.kind === "guardian" ? person.guardianId ?? null : null,
  });
}

function lockInfo(lockedUntil: string, now: Date) {
  return { lockMinutes: Math.max(1, Math.ceil((Date.parse(lockedUntil) - now.getTime()) / 60_000)), attemptsLeft: 0 };
}

/**
 * The beneficiary's citizen ID and date of birth, checked against the list. A weak proof (the ID
 * encodes the birth year and is widely photocopied), so it is rate limited per channel user: after
 * the configured number of failures, identification is locked for a while, and the person is told.
 */
export function verifyIdentity({ people, identificationGuard, clock, config }: ActionDeps): Action {
  return async (args, { conversation }) => {
    const citizenId = args.citizenId as CitizenIdAnswer | undefined;
    const dateOfBirth = args.dateOfBirth as string | undefined;
    const now = clock();
    const identity = await people.identity(conversation.channel, conversation.userId);
    const cleared = { attempt: null };
    if (identity?.lockedUntil && identity.lockedUntil > sqlTimestamp(now)) {
      return { outcome: "locked", vars: { ...cleared, identification: lockInfo(identity.lockedUntil, now) } };
    }
    // Many chats guessing at once (each under its own limit): no answer is checked for a while.
    const global = await globalIdentificationState(identificationGuard, config, now);
    if (global.lockedUntil) {
      return {
        outcome: "paused",
        vars: { ...cleared, identification: { lockMinutes: minutesUntil(global.lockedUntil, now) } },
        effects: global.trip ? [globalLockEffect(global, config, now)] : [],
      };
    }
    const beneficiary = citizenId ? await people.beneficiaryByCitizenIdHash(citizenId.hash) : undefined;
    if (beneficiary && beneficiary.dateOfBirth === dateOfBirth) {
      const person = (await personFor(people, { beneficiaries: [beneficiary], guardianIds: [] }, "citizen_id_dob"))!;
      selectBeneficiary(person, beneficiary);
      return { outcome: "identified", vars: { ...cleared, person }, effects: [linkEffect(person)] };
    }
    const failedAttempts = (identity?.failedAttempts ?? 0) + 1;
    const max = config.identificationMaxAttempts;
    // This failure may be the one that reaches the global limit: the lock (and its report) starts now.
    const tripped = global.failures + 1 >= config.identificationGlobalFailuresPerMinute ? [globalLockEffect({ ...global, failures: global.failures + 1 }, config, now)] : [];
    if (failedAttempts >= max) {
      const lockedUntil = new Date(now.getTime() + config.identificationLockMinutes * 60_000);
      return {
        outcome: "locked",
        vars: { ...cleared, identification: { attemptsLeft: 0, lockMinutes: config.identificationLockMinutes } },
        effects: [identificationFailedEffect({ failedAttempts: 0, lockedUntil: sqlTimestamp(lockedUntil), locked: true }), ...tripped],
      };
    }
    return {
      outcome: "mismatch",
      vars: { ...cleared, identification: { attemptsLeft: max - failedAttempts } },
      effects: [identificationFailedEffect({ failedAttempts, lockedUntil: null, locked: false }), ...tripped],
    };
  };
}

/**
 * The global limit on identification by citizen ID and birth date: when the wrong answers of all
 * chats together reach IDENTIFICATION_GLOBAL_FAILURES_PER_MINUTE within a minute, no answer from a
 * chat not yet identified is checked for IDENTIFICATION_GLOBAL_LOCK_MINUTES (someone is trying many
 * chats at once, each under its own limit). A lock is an audit row ("identity.global_locked");
 * `trip` says the limit is reached and no lock is in force yet, so this step should start one.
 */
async function globalIdentificationState(guard: ActionDeps["identificationGuard"], config: ActionDeps["config"], now: Date) {
  const lockMs = config.identificationGlobalLockMinutes * 60_000;
  const lockedSince = await guard.globalLockSince(new Date(now.getTime() - lockMs));
  const failures = await guard.failuresSince(new Date(now.getTime() - 60_000));
  if (lockedSince) return { lockedUntil: new Date(lockedSince.getTime() + lockMs), failures, trip: false };
  if (failures >= config.identificationGlobalFailuresPerMinute) return { lockedUntil: new Date(now.getTime() + lockMs), failures, trip: true };
  return { lockedUntil: null, failures, trip: false };
}

function globalLockEffect(global: { failures: number }, config: ActionDeps["config"], now: Date): IdentificationGlobalLockEffect {
  return identificationGlobalLockEffect({
    failures: global.failures,
    limit: config.identificationGlobalFailuresPerMinute,
    lockMinutes: config.identificationGlobalLockMinutes,
    lockedUntil: sqlTimestamp(new Date(now.getTime() + config.identificationGlobalLockMinutes * 60_000)),
  });
}

function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}

/** A guardian picks which of their beneficiaries to ask about. */
export function chooseBeneficiary({ people }: ActionDeps): Action {
  return async (args, { vars }) => {
    const chooser = vars.person as PersonVars;
    const id = Number(args.beneficiaryId);
    const beneficiary = chooser?.beneficiaries.some((b) => b.id === id) ? await people.beneficiary(id) : undefined;
    if (!beneficiary) throw new Error("chosen beneficiary is not one this person may ask about");
    const person = { ...chooser }; // a new object: the session the step was given stays as it was
    selectBeneficiary(person, beneficiary);
    return { outcome: "ok", vars: { person, payment: null, current: null, pastPayments: null } };
  };
}
