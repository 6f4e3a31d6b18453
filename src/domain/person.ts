import type { ActorKind } from "./audit.ts";
import type { BeneficiarySummary, PeopleStore } from "./store/peopleStore.ts";

export type Verification = "phone" | "citizen_id_dob";

/** Who the conversation is with, as the session keeps it (`vars.person`). */
export interface PersonVars {
  kind: "beneficiary" | "guardian";
  verification: Verification;
  guardianId?: number;
  /** The beneficiary the person is asking about now. */
  beneficiaryId?: number;
  name?: string;
  beneficiaries: { id: number; label: string }[];
  isGuardianOfMany: boolean;
}

/**
 * The beneficiaries a phone number or an identity may ask about: their own record, and those
 * they are the registered guardian or receiver of. One place decides this for every channel.
 */
export async function personFor(
  people: PeopleStore,
  match: { beneficiaries: BeneficiarySummary[]; guardianIds: number[] },
  verification: Verification,
): Promise<PersonVars | null> {
  const reachable = new Map<number, BeneficiarySummary>();
  for (const b of match.beneficiaries) reachable.set(b.id, b);
  for (const guardianId of match.guardianIds) {
    for (const b of await people.beneficiariesOfGuardian(guardianId)) reachable.set(b.id, b);
  }
  if (reachable.size === 0) return null;
  const list = [...reachable.values()];
  const isGuardian = match.guardianIds.length > 0 && list.some((b) => !match.beneficiaries.includes(b));
  const person: PersonVars = {
    kind: isGuardian ? "guardian" : "beneficiary",
    verification,
    guardianId: match.guardianIds[0],
    beneficiaries: list.map((b) => ({ id: b.id, label: b.fullName })),
    isGuardianOfMany: list.length > 1,
  };
  if (list.length === 1) selectBeneficiary(person, list[0]);
  return person;
}

export function selectBeneficiary(person: PersonVars, beneficiary: { id: number; fullName: string }): void {
  person.beneficiaryId = beneficiary.id;
  person.name = beneficiary.fullName;
}

/** The identified person, or an error when a flow reaches a step that needs one without it. */
export function requirePerson(vars: Record<string, unknown>): PersonVars & { beneficiaryId: number } {
  const person = vars.person as PersonVars | undefined;
  if (!person?.beneficiaryId) throw new Error("this step needs an identified person: the flow must identify first");
  return person as PersonVars & { beneficiaryId: number };
}

/** Who the audit log names for what a conversation did: the identified person, or "anonymous". */
export function actorOf(vars: Record<string, unknown> | undefined): { kind: ActorKind; id: string | null } {
  const person = vars?.person as PersonVars | undefined;
  return person ? { kind: person.kind, id: String(person.kind === "guardian" ? person.guardianId : person.beneficiaryId) } : { kind: "anonymous", id: null };
}
