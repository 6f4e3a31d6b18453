/**
 * Too many wrong answers from all chats together within a minute: identification by citizen ID
 * and date of birth pauses for every chat not yet identified, and the operators are told.
 */
export interface IdentificationGlobalLockEffect {
  type: "identification_global_lock";
  /** Wrong answers in the last minute, this one included. */
  failures: number;
  /** The limit per minute they reached. */
  limit: number;
  lockMinutes: number;
  /** When the pause ends (SQL timestamp text). */
  lockedUntil: string;
}

export function identificationGlobalLockEffect(fields: Omit<IdentificationGlobalLockEffect, "type">): IdentificationGlobalLockEffect {
  return { type: "identification_global_lock", ...fields };
}
