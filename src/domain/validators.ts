import type { Validator } from "../engine/types.ts";
import { hashCitizenId, isCitizenIdFormat, normalizeCitizenId } from "../shared/citizenId.ts";
import { parseCalendarDate } from "../shared/dates.ts";
import { lastFour, maskAccount } from "../shared/mask.ts";
import { maskPhone, normalizeVietnamPhone } from "../shared/phone.ts";
import { seal } from "../shared/secrets.ts";

/** A citizen ID as the session keeps it: matchable, never readable. */
export interface CitizenIdAnswer {
  hash: string;
  last4: string;
}

/** An account number as the session keeps it: sealed, with the last 4 digits for display. */
export interface AccountAnswer {
  sealed: string;
  last4: string;
}

/**
 * The checks a typed answer passes before a flow accepts it. Personal numbers are turned
 * into their hashed or sealed form here, so the clear number never reaches the stored session.
 */
export function createValidators(secret: Buffer): Record<string, Validator> {
  return {
    citizen_id: (input) => {
      const id = normalizeCitizenId(input);
      if (!isCitizenIdFormat(id)) return { ok: false, hint: "identify.bad_citizen_id" };
      const value: CitizenIdAnswer = { hash: hashCitizenId(id, secret), last4: lastFour(id) };
      return { ok: true, value, masked: `***${value.last4}` };
    },
    date_of_birth: (input) => {
      const date = parseCalendarDate(input);
      if (!date || date > new Date().toISOString().slice(0, 10)) return { ok: false, hint: "identify.bad_date" };
      return { ok: true, value: date };
    },
    account_number: (input) => {
      const digits = input.replace(/[\s.-]/g, "");
      if (!/^\d{6,19}$/.test(digits)) return { ok: false, hint: "method.bad_account" };
      const value: AccountAnswer = { sealed: seal(digits, secret), last4: lastFour(digits) };
      return { ok: true, value, masked: maskAccount(value.last4) };
    },
    phone: (input) => {
      const phone = normalizeVietnamPhone(input);
      if (!phone.ok) return { ok: false, hint: phone.reason === "old_11_digit" ? "method.old_phone" : "method.bad_phone" };
      return { ok: true, value: phone.e164, masked: maskPhone(phone.e164) };
    },
    text: (input) => {
      const text = input.trim().slice(0, 1000);
      return text ? { ok: true, value: text } : { ok: false, hint: "validation.text_required" };
    },
  };
}
