/**
 * The person is identified: the chat's channel identity is linked to them from now on (by the
 * phone the channel vouched for, or by citizen ID and date of birth). Exactly one of the two ids
 * is set: a beneficiary asking about themselves, or a guardian.
 */
export interface LinkIdentityEffect {
  type: "link_identity";
  /** How they were identified: "phone" or "citizen_id_dob". */
  verification: string;
  beneficiaryId: number | null;
  guardianId: number | null;
}

export function linkIdentityEffect(fields: Omit<LinkIdentityEffect, "type">): LinkIdentityEffect {
  return { type: "link_identity", ...fields };
}
