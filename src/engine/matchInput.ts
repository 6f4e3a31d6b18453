import { matchKey } from "../shared/text.ts";
import type { GlobalWordName, Globals } from "./loadFlows.ts";

/** Which global word, if any, the input is ("0" back, "menu", "help", "gặp cán bộ", ...). */
export function matchGlobalWord(input: string, globals: Globals, cache = globalWordCache(globals)): GlobalWordName | null {
  return cache.get(wordKey(input)) ?? null;
}

/** A word as compared: its match key, or the word itself when it is only punctuation ("?"). Empty never matches. */
function wordKey(text: string): string {
  return matchKey(text) || text.trim() || "\u0000";
}

const caches = new WeakMap<Globals, Map<string, GlobalWordName>>();
function globalWordCache(globals: Globals): Map<string, GlobalWordName> {
  let cache = caches.get(globals);
  if (!cache) {
    cache = new Map();
    for (const [name, def] of Object.entries(globals.words)) {
      for (const word of def.words) cache.set(wordKey(word), name as GlobalWordName);
    }
    caches.set(globals, cache);
  }
  return cache;
}

/**
 * Picks a choice by its number or its label, case- and diacritic-insensitively ("xem tien" = "Xem tiền").
 * A label may be shortened to its beginning when that names one choice only.
 * `labelSets` holds the labels in every language, so an English word works on a Vietnamese menu.
 */
export function matchChoice(input: string, labelSets: string[][], numbers?: string[]): number | null {
  const typed = matchKey(input);
  if (typed === "") return null;
  if (numbers && /^\d+$/.test(typed)) {
    const index = numbers.indexOf(String(Number(typed)));
    return index === -1 ? null : index;
  }
  if (/^\d+$/.test(typed)) {
    const index = Number(typed) - 1;
    return index >= 0 && index < (labelSets[0]?.length ?? 0) ? index : null;
  }
  const keys = labelSets.map((labels) => labels.map(matchKey));
  for (const labels of keys) {
    const exact = labels.indexOf(typed);
    if (exact !== -1) return exact;
  }
  if (typed.length < 3) return null;
  const found = new Set<number>();
  for (const labels of keys) {
    labels.forEach((label, i) => {
      if (label.startsWith(typed) || (` ${label} `).includes(` ${typed} `)) found.add(i);
    });
  }
  return found.size === 1 ? [...found][0] : null;
}
