/** The person asked to see, correct or delete their data (or withdrew consent): an item in the commune's queue. */
export interface OpenPrivacyRequestEffect {
  type: "open_privacy_request";
  reference: string;
  kind: string;
  /** What to correct, as the person wrote it. */
  details: string | null;
  /** The language the decision will be sent in. */
  locale: string;
  beneficiaryId: number | null;
  guardianId: number | null;
}

export function openPrivacyRequestEffect(fields: Omit<OpenPrivacyRequestEffect, "type">): OpenPrivacyRequestEffect {
  return { type: "open_privacy_request", ...fields };
}
