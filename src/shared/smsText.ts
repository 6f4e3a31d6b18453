import { toFeaturePhoneText } from "./featurePhoneText.ts";

/**
 * The text an SMS carries: Vietnamese without diacritics and with plain punctuation, the same
 * folding USSD screens use. A single diacritic would send the whole message as UCS-2, where a
 * part holds 70 characters instead of 160, so every sentence is folded; a feature phone shows it
 * as people type SMS themselves ("khong dau").
 */
export function toSmsText(text: string): string {
  return toFeaturePhoneText(text).trim();
}
