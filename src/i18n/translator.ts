import fs from "node:fs";
import path from "node:path";
import i18next, { type i18n } from "i18next";
import type { Locale } from "../engine/session.ts";
import type { Translate } from "../engine/types.ts";
import { formatCalendarDate, formatPeriod } from "../shared/dates.ts";
import { formatVnd } from "../shared/money.ts";
import { maskAccount } from "../shared/mask.ts";
import { maskPhone } from "../shared/phone.ts";
import { compileSentence, type Formatter, type SentenceTemplate } from "./sentenceTemplates.ts";

export const NAMESPACE = "bot";

/** Each language's sentences of one namespace: locales/<lang>/<namespace>.json (the bot's by default). */
export function readLocaleResources(localesDir: string, namespace: string = NAMESPACE): Record<string, Record<string, unknown>> {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const locale of fs.readdirSync(localesDir)) {
    const file = path.join(localesDir, locale, `${namespace}.json`);
    if (fs.existsSync(file)) resources[locale] = JSON.parse(fs.readFileSync(file, "utf8"));
  }
  return resources;
}

/**
 * An i18next instance of its own on one namespace (locales/<lang>/<namespace>.json), Vietnamese
 * first and the fallback. No HTML escaping: the bot's channels and the console's templates escape.
 */
export function createI18n(localesDir: string, namespace: string): { instance: i18n; resources: Record<string, Record<string, unknown>> } {
  const resources = readLocaleResources(localesDir, namespace);
  const instance = i18next.createInstance();
  instance.init({
    resources: Object.fromEntries(Object.entries(resources).map(([lng, data]) => [lng, { [namespace]: data }])),
    ns: [namespace],
    defaultNS: namespace,
    lng: "vi",
    fallbackLng: "vi",
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return { instance, resources };
}

/** The statuses whose words a person's line completes with a date or a reason (status_detail.*): the sentences code picks. */
export const STATUS_DETAIL_KEYS = ["scheduled", "paid", "failed", "returned"].map((status) => `status_detail.${status}`);

/**
 * A person's status as a line of a guardian's overview says it ({{item, statusDetail}}): with the
 * pay date, the day it was paid or the reason it was not (status_detail.*) when the list gives
 * one, else the status word alone (payment_status.*, as the list of people shows it).
 */
function statusDetail(value: unknown, t: (key: string, params: Record<string, unknown>) => string): string {
  const item = value as { status?: string; payDate?: string | null; paidDate?: string | null; failureReason?: string | null } | null;
  if (!item?.status) return "";
  const detail = item.status === "scheduled" ? item.payDate : item.status === "paid" ? item.paidDate : item.failureReason;
  const key = `status_detail.${item.status}`;
  return detail && STATUS_DETAIL_KEYS.includes(key) ? t(key, { item }) : t(`payment_status.${item.status}`, {});
}

/**
 * Every sentence the bot says comes from locales/<lang>/bot.json through i18next.
 * Values are formatted in the sentence itself: {{payment.amount, money}}, {{payment.payDate, date}},
 * {{payment.method, method}}, {{current.accountLast4, account}} (masked), {{x, phone}} (masked),
 * {{item, statusDetail}} (a person's status with its date or reason).
 */
export function createTranslator(localesDir: string): { translate: Translate; i18n: i18n; locales: Locale[] } {
  const { instance, resources } = createI18n(localesDir, NAMESPACE);
  const formatters: Record<string, Formatter> = {
    money: (value) => (typeof value === "number" ? formatVnd(value) : ""),
    date: (value) => (typeof value === "string" && value ? formatCalendarDate(value) : ""),
    period: (value) => (typeof value === "string" && value ? formatPeriod(value) : ""),
    account: (value) => maskAccount(typeof value === "string" ? value : null),
    phone: (value) => (typeof value === "string" && value ? maskPhone(value) : ""),
    method: (value, lng) => (value ? translate(lng as Locale, `method.name.${value}`) : ""),
    paymentStatus: (value, lng) => (value ? translate(lng as Locale, `payment_status.${value}`) : ""),
    statusDetail: (value, lng) => statusDetail(value, (key, params) => translate(lng as Locale, key, params)),
  };
  const formatter = instance.services.formatter!;
  for (const [name, format] of Object.entries(formatters)) formatter.add(name, (value, lng) => format(value, lng ?? "vi"));
  // i18next costs ~13 µs a call: each sentence is split into its text and placeholders once per
  // language and filled in directly (sentenceTemplates.ts; a sentence with nothing to fill in is
  // one part). Only what templates cannot do ($t() nesting, a missing value) goes to i18next.
  const templates = new Map<string, SentenceTemplate | null>();
  const translate: Translate = (locale, key, params) => {
    const cacheKey = `${locale}\u0000${key}`;
    let template = templates.get(cacheKey);
    if (template === undefined) {
      const raw = instance.getResource(locale, NAMESPACE, key);
      template = typeof raw === "string" ? compileSentence(raw) : null;
      templates.set(cacheKey, template);
    }
    const filled = template?.fill(params, locale, formatters);
    if (filled !== undefined && filled !== null) return filled;
    return instance.t(key, { ...params, lng: locale }) as string;
  };
  return { translate, i18n: instance, locales: Object.keys(resources).sort((a) => (a === "vi" ? -1 : 1)) as Locale[] };
}
