/**
 * How many parts an SMS takes. GSM-7 (the 7-bit default alphabet) carries 160 characters in one
 * part, 153 per part once split (the rest is the joining header); its extension characters
 * (^ { } \ [ ~ ] | € and form feed) are sent as an escape plus the character and count 2. Any
 * character outside the alphabet (a Vietnamese diacritic, an emoji) sends the whole message as
 * UCS-2: 70 in one part, 67 per part, counted in UTF-16 units.
 */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENSION = "^{}\\[~]|€\f";
const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export interface SmsSegments {
  encoding: "gsm7" | "ucs2";
  /** Septets (GSM-7) or UTF-16 units (UCS-2). */
  units: number;
  segments: number;
}

export function isGsm7(text: string): boolean {
  for (const c of text) if (!BASIC.has(c) && !EXTENSION.has(c)) return false;
  return true;
}

export function countSmsSegments(text: string): SmsSegments {
  if (isGsm7(text)) {
    let units = 0;
    for (const c of text) units += EXTENSION.has(c) ? 2 : 1;
    return { encoding: "gsm7", units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length;
  return { encoding: "ucs2", units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
