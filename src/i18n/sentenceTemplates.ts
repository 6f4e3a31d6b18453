/**
 * A sentence with {{path}} or {{path, formatter}} placeholders, split once into parts so filling
 * it in is a few string joins. i18next stays the source of truth (it loads the sentences, and
 * does anything beyond plain placeholders: nesting with $t(), plurals); this only saves its
 * per-call cost (~13 µs, about a tenth of a USSD hop) on the sentences a hop fills in.
 * tests/i18n/sentenceTemplates.test.ts checks that both give the same text for every sentence.
 */
export type Formatter = (value: unknown, locale: string) => string;

type Part = string | { path: string[]; format: string | null };

export interface SentenceTemplate {
  /** The filled-in sentence, or null when a value is missing (then i18next decides what to say). */
  fill(params: Record<string, unknown> | undefined, locale: string, formatters: Record<string, Formatter>): string | null;
}

const PLACEHOLDER = /\{\{\s*([^{},]+?)\s*(?:,\s*([^{}]+?)\s*)?\}\}/g;

/** The template of a sentence, or null when it needs more than plain placeholders. */
export function compileSentence(text: string): SentenceTemplate | null {
  if (text.includes("$t(")) return null;
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ path: match[1].split("."), format: match[2] ?? null });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.some((p) => typeof p === "string" && p.includes("{{"))) return null;
  return {
    fill(params, locale, formatters) {
      let out = "";
      for (const part of parts) {
        if (typeof part === "string") {
          out += part;
          continue;
        }
        let value: unknown = params;
        for (const step of part.path) value = value == null ? undefined : (value as Record<string, unknown>)[step];
        if (value === undefined) return null;
        if (value === null) continue; // i18next shows nothing for a null value, formatted or not
        if (part.format !== null) {
          const format = formatters[part.format];
          if (!format) return null;
          out += format(value, locale);
        } else out += String(value);
      }
      return out;
    },
  };
}
