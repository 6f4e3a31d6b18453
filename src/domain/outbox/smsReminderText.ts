import { countSmsSegments } from "../../shared/smsSegments.ts";
import { shortenName } from "../../shared/shortenName.ts";
import { toSmsText } from "../../shared/smsText.ts";
import type { Locale } from "../../engine/session.ts";
import type { Translate } from "../../engine/types.ts";

/** The facts a reminder states (the payment as it is when the reminder goes out). */
export interface ReminderFacts {
  name: string;
  amount: number;
  payDate: string;
  method: string;
  payPoint: string | null;
  accountLast4: string | null;
}

/** The sentences an SMS reminder is made of: checked by `flows check` and listed by `sms templates`. */
export const SMS_REMINDER_KEYS = ["sms.reminder_soon", "sms.reminder_today", "sms.reminder_cash", "sms.reminder_home", "sms.reminder_account", "sms.stop"];

/**
 * A payment reminder as one SMS part (160 GSM-7 characters): one part costs one part's price on
 * every phone, and a split message arrives in pieces on old handsets. When the full text is longer,
 * the name is shortened to initials, then the pay point cut ("…" would force UCS-2: ".." instead),
 * then the text itself.
 */
export function smsReminderText(translate: Translate, locale: Locale, kind: "reminder_before" | "reminder_day", payment: ReminderFacts): string {
  const how = payment.method === "cash" ? "sms.reminder_cash" : payment.method === "cash_home" ? "sms.reminder_home" : "sms.reminder_account";
  const build = (p: ReminderFacts) => {
    const t = (key: string) => translate(locale, key, { payment: p });
    return toSmsText([t(kind === "reminder_day" ? "sms.reminder_today" : "sms.reminder_soon"), t(how), t("sms.stop")].join(" "));
  };
  const fits = (text: string) => countSmsSegments(text).segments === 1;
  let text = build(payment);
  if (fits(text)) return text;
  const short = { ...payment, name: shortenName(payment.name) };
  text = build(short);
  if (fits(text) || !payment.payPoint) return fits(text) ? text : text.slice(0, 160);
  // Cut the pay point by exactly what is over (the rest of the sentence stays whole).
  const over = countSmsSegments(text).units - 160;
  const keep = Math.max(0, toSmsText(payment.payPoint).length - over - 2);
  text = build({ ...short, payPoint: `${toSmsText(payment.payPoint).slice(0, keep).trimEnd()}..` });
  return fits(text) ? text : text.slice(0, 160);
}
