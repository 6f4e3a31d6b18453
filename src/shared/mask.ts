/** An account number as every message shows it: only its last 4 digits. */
export function maskAccount(last4: string | null | undefined): string {
  return last4 ? `***${last4}` : "***";
}

export function lastFour(value: string): string {
  return value.slice(-4);
}

/** A citizen ID number as the console shows it: only its last 4 digits (the rest is never stored). */
export function maskCitizenId(last4: string | null | undefined): string {
  return last4 ? `****${last4}` : "";
}

/**
 * A run of 9 or more digits, also with spaces, dots, dashes or a leading +: a citizen ID, an
 * account or a phone number inside free text. Dates (8 digits) and amounts do not match.
 */
export const LONG_NUMBER = /\+?\d(?:[\s.-]?\d){8,}/g;

/**
 * Free text as it may be stored and shown: every long number keeps only its last 4 digits, like
 * every account the bot shows ("TK 4200123456789 bị khóa" -> "TK ***6789 bị khóa").
 */
export function maskNumbersInText(text: string): string {
  return text.replace(LONG_NUMBER, (number) => `***${lastFour(number.replace(/\D/g, ""))}`);
}
