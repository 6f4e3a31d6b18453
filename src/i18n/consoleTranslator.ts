import { createI18n } from "./translator.ts";

const CONSOLE_NAMESPACE = "console";
const CONSOLE_LOCALES = ["vi", "en"] as const;
export type ConsoleLocale = (typeof CONSOLE_LOCALES)[number];

/** A console sentence in the page's language: t("login.title"), t("people.count", { count }). */
export type ConsoleTranslate = (key: string, params?: Record<string, unknown>) => string;

export function isConsoleLocale(value: unknown): value is ConsoleLocale {
  return typeof value === "string" && (CONSOLE_LOCALES as readonly string[]).includes(value);
}

/**
 * The console's sentences, from locales/<lang>/console.json through their own i18next instance
 * (the bot's namespace and its caches stay untouched). Pages put every sentence through the
 * `html` template, which escapes it.
 */
export function createConsoleTranslator(localesDir: string): { forLocale(locale: ConsoleLocale): ConsoleTranslate } {
  const { instance } = createI18n(localesDir, CONSOLE_NAMESPACE);
  const bound = new Map(CONSOLE_LOCALES.map((locale) => [locale, instance.getFixedT(locale, CONSOLE_NAMESPACE)]));
  return {
    forLocale: (locale) => {
      const t = bound.get(locale)!;
      return (key, params) => t(key, params ?? {}) as string;
    },
  };
}
