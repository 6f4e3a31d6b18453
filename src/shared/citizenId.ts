import { createHmac } from "node:crypto";

/**
 * Vietnamese personal ID numbers (CCCD): 12 digits = 3-digit province code + a century/sex digit
 * (1900s: 0 male / 1 female; 2000s: 2 male / 3 female; 2100s: 4/5) + 2 digits of birth year + 6 digits.
 */
export function isCitizenIdFormat(raw: string): boolean {
  return /^\d{12}$/.test(raw);
}

/** Spaces, dots and dashes people type, and the # a phone keypad ends an answer with, are dropped. */
export function normalizeCitizenId(raw: string): string {
  return raw.replace(/[\s.\-#]/g, "");
}

/** Whether the century/sex and year digits agree with a date of birth (yyyy-mm-dd). */
export function citizenIdMatchesBirthYear(citizenId: string, dateOfBirth: string): boolean {
  const centuryDigit = Number(citizenId[3]);
  const century = 1900 + Math.floor(centuryDigit / 2) * 100;
  const year = century + Number(citizenId.slice(4, 6));
  return year === Number(dateOfBirth.slice(0, 4));
}

/** Keyed hash for matching an ID without storing it: HMAC-SHA256 under the deployment's secret. */
export function hashCitizenId(citizenId: string, secret: Buffer): string {
  return createHmac("sha256", secret).update(`citizen-id:${citizenId}`).digest("base64url");
}
