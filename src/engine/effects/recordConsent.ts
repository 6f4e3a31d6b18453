/** The person answered the personal-data notice (Law 91/2025/QH15): the evidence, kept as long as the data. */
export interface RecordConsentEffect {
  type: "record_consent";
  decision: "given" | "declined" | "withdrawn";
  /** Which notice they answered (its text may change; the answer is to that text). */
  noticeVersion: string;
  /** Who they are, when identified; null before identification (claimed when they are). */
  beneficiaryId: number | null;
  guardianId: number | null;
}

export function recordConsentEffect(fields: Omit<RecordConsentEffect, "type">): RecordConsentEffect {
  return { type: "record_consent", ...fields };
}
