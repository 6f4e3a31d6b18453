import { foldDiacritics } from "./text.ts";

const PUNCTUATION: Record<string, string> = {
  "\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2022": "*", "\u00a0": " ",
};

/**
 * Text a feature phone shows on a USSD screen or in an SMS: Vietnamese without diacritics (any diacritic would
 * force UCS-2 and halve the screen), typographic punctuation made plain, nothing outside ASCII.
 */
export function toFeaturePhoneText(text: string): string {
  return foldDiacritics(text)
    .replace(/[\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u00a0]/g, (c) => PUNCTUATION[c])
    .replace(/[^\x20-\x7e\n]/g, "");
}
