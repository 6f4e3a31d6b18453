import path from "node:path";
import type { Reply } from "../../engine/types.ts";
import { NAMESPACE, readLocaleResources } from "../../i18n/translator.ts";

/** Words only Telegram shows (its buttons), in the language of the screen they go with. */
export interface TelegramSentences {
  /** The reply-keyboard button that shares the person's own phone number. */
  sharePhone: string;
}

const KEYS = { sharePhone: "telegram.share_phone" } as const;

/**
 * Reads the Telegram sentences of every language from locales/<lang>/bot.json and returns a lookup
 * by the language a screen is written in; the first language (vi) is the fallback.
 */
export function loadTelegramSentences(localesDir: string): (reply: Reply) => TelegramSentences {
  const resources = readLocaleResources(localesDir);
  const byLocale = new Map<string, TelegramSentences>();
  let fallback: TelegramSentences | undefined;
  for (const [locale, data] of Object.entries(resources).sort(([a]) => (a === "vi" ? -1 : 1))) {
    const file = path.join(localesDir, locale, `${NAMESPACE}.json`);
    const sentences = { sharePhone: sentence(data, KEYS.sharePhone, file) };
    fallback ??= sentences;
    byLocale.set(locale, sentences);
  }
  if (!fallback) throw new Error(`${localesDir}: no locales/<lang>/${NAMESPACE}.json found`);
  const first = fallback;
  return (reply) => byLocale.get(reply.locale) ?? first;
}

function lookup(data: Record<string, unknown>, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), data);
}

function sentence(data: Record<string, unknown>, key: string, file: string): string {
  const value = lookup(data, key);
  if (typeof value !== "string" || value.trim() === "") throw new Error(`${file}: "${key}" is missing (the Telegram channel needs it)`);
  return value;
}
