import { parsePhoneNumberFromString } from "libphonenumber-js/max";

export type PhoneResult =
  | { ok: true; e164: string }
  | { ok: false; reason: "old_11_digit" | "invalid" };

/**
 * Normalises a Vietnamese phone number in any common form (0…, 84…, +84…, with spaces, dots or
 * dashes) to E.164. Numbers from before the 2018 renumbering (11 digits, 01x…) are reported,
 * not silently kept, because they no longer reach anyone.
 */
export function normalizeVietnamPhone(raw: string): PhoneResult {
  // The same callers' numbers arrive on every USSD hop; libphonenumber costs ~12 µs a parse.
  const cached = recent.get(raw);
  if (cached) return cached;
  const result = parseVietnamPhone(raw);
  if (recent.size >= RECENT_LIMIT) recent.clear();
  recent.set(raw, result);
  return result;
}

const RECENT_LIMIT = 50_000;
const recent = new Map<string, PhoneResult>();

function parseVietnamPhone(raw: string): PhoneResult {
  const compact = raw.replace(/[\s.\-()]/g, "");
  const national = compact.replace(/^\+?84/, "0");
  if (/^01\d{9}$/.test(national)) return { ok: false, reason: "old_11_digit" };
  if (!/^\+?\d{9,12}$/.test(compact)) return { ok: false, reason: "invalid" };
  const parsed = parsePhoneNumberFromString(compact.startsWith("84") ? `+${compact}` : compact, "VN");
  if (!parsed || parsed.country !== "VN" || !parsed.isValid()) return { ok: false, reason: "invalid" };
  return { ok: true, e164: parsed.number };
}

/** A phone number as shown to people and written to logs: the last three digits only. */
export function maskPhone(e164: string): string {
  return `***${e164.slice(-3)}`;
}

/** +84978111222 → 0978111222, as Vietnamese lists write phones. */
export function nationalPhone(e164: string): string {
  return e164.startsWith("+84") ? `0${e164.slice(3)}` : e164;
}

/**
 * A phone number as commune staff see it in the console: enough to recognise it on the phone with
 * the person (0912***678), not enough to call it.
 */
export function maskPhoneForStaff(e164: string): string {
  const national = nationalPhone(e164);
  return national.length > 7 ? `${national.slice(0, 4)}***${national.slice(-3)}` : maskPhone(e164);
}
