import type { Locale } from "../session.ts";

/** The person chose the language this chat speaks to them in (reminders and notices too). */
export interface SetLocaleEffect {
  type: "set_locale";
  locale: Locale;
}

export function setLocaleEffect(fields: Omit<SetLocaleEffect, "type">): SetLocaleEffect {
  return { type: "set_locale", ...fields };
}
