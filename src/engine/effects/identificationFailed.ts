/** A wrong citizen ID or date of birth: the chat's failure count, and its lock once the count reached the limit. */
export interface IdentificationFailedEffect {
  type: "identification_failed";
  /** The count to store: 0 when this failure locks (the count starts again after the lock). */
  failedAttempts: number;
  /** When the lock ends (SQL timestamp text), or null when this failure does not lock. */
  lockedUntil: string | null;
  locked: boolean;
}

export function identificationFailedEffect(fields: Omit<IdentificationFailedEffect, "type">): IdentificationFailedEffect {
  return { type: "identification_failed", ...fields };
}
