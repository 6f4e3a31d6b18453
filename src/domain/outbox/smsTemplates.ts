import { toSmsText } from "../../shared/smsText.ts";

/**
 * The messages the outbox sends by SMS, as the sentences each is made of (in the order OutboxText
 * and smsReminderText put them) and what joins them. Brandname SMS in Vietnam (eSMS) carries
 * registered templates only: `ansinh sms templates` prints these with numbered placeholders for
 * registration, and a message matching none is refused before it is sent.
 */
const REMINDER_HOW = ["sms.reminder_cash", "sms.reminder_home", "sms.reminder_account"];
const SMS_MESSAGE_SHAPES: { name: string; keys: string[]; joiner: string }[] = [
  ...["sms.reminder_soon", "sms.reminder_today"].flatMap((first) =>
    REMINDER_HOW.map((how) => ({ name: `${first.slice(4)} (${how.slice("sms.reminder_".length)})`, keys: [first, how, "sms.stop"], joiner: " " })),
  ),
  { name: "payment_paid", keys: ["notice.paid"], joiner: "\n" },
  { name: "payment_paid (account)", keys: ["notice.paid", "notice.paid_to_account"], joiner: "\n" },
  { name: "payment_paid (no date)", keys: ["notice.paid_undated"], joiner: "\n" },
  { name: "payment_paid (no date, account)", keys: ["notice.paid_undated", "notice.paid_to_account"], joiner: "\n" },
  { name: "payment_failed", keys: ["notice.failed", "notice.what_to_do"], joiner: "\n" },
  { name: "payment_returned", keys: ["notice.returned", "notice.what_to_do"], joiner: "\n" },
  { name: "method_change_approved (account)", keys: ["notice.method_change_approved", "notice.method_change_to_account", "method.never_pin"], joiner: "\n" },
  { name: "method_change_approved (wallet)", keys: ["notice.method_change_approved", "notice.method_change_to_wallet", "method.never_pin"], joiner: "\n" },
  { name: "method_change_approved (cash)", keys: ["notice.method_change_approved", "method.never_pin"], joiner: "\n" },
  { name: "method_change_rejected", keys: ["notice.method_change_rejected", "notice.what_to_do"], joiner: "\n" },
  { name: "operator_reply", keys: ["notice.operator_reply"], joiner: "\n" },
];

export interface SmsTemplate {
  name: string;
  locale: string;
  /** As eSMS registers it: the folded text with {P1}, {P2}… where data goes. */
  text: string;
  /** Matches the messages made from it. */
  pattern: RegExp;
}

const PLACEHOLDER = /\{\{[^}]*\}\}/g;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every SMS message shape in every language, from the raw sentences (`sentence(locale, key)`). */
export function smsTemplates(sentence: (locale: string, key: string) => string, locales: string[]): SmsTemplate[] {
  return locales.flatMap((locale) =>
    SMS_MESSAGE_SHAPES.map(({ name, keys, joiner }) => {
      const raw = toSmsText(keys.map((k) => sentence(locale, k)).join(joiner));
      let n = 0;
      const text = raw.replace(PLACEHOLDER, () => `{P${++n}}`);
      const pattern = new RegExp(`^${raw.split(PLACEHOLDER).map(escape).join("[\\s\\S]*?")}$`);
      return { name, locale, text, pattern };
    }),
  );
}

/** The template a message was made from, or null: the message must not go out by brandname SMS. */
function matchingTemplate(templates: SmsTemplate[], text: string): SmsTemplate | null {
  return templates.find((t) => t.pattern.test(text)) ?? null;
}

/** Whether brandname SMS would carry a text as the outbox sends it (folded for SMS): it matches a registered template. */
export function carriedBy(templates: SmsTemplate[]): (text: string) => boolean {
  return (text) => matchingTemplate(templates, toSmsText(text)) !== null;
}
