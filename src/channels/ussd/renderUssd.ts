import type { Reply } from "../../engine/types.ts";
import { toFeaturePhoneText } from "../../shared/featurePhoneText.ts";

/** The navigation every USSD screen uses, shown on the screen and the same everywhere. */
const USSD_MORE = "99";
const USSD_BACK = "0";

export interface UssdScreen {
  text: string;
  /** END (the session closes) rather than CON. */
  end: boolean;
}

/** Splits a paragraph at word boundaries into pieces of at most `width` characters. */
function wrap(paragraph: string, width: number): string[] {
  if (paragraph.length <= width) return [paragraph];
  const pieces: string[] = [];
  let line = "";
  for (const word of paragraph.split(" ")) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= width) {
      line = candidate;
      continue;
    }
    if (line) pieces.push(line);
    line = word;
    while (line.length > width) {
      pieces.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) pieces.push(line);
  return pieces;
}

/**
 * Lays a reply out as USSD pages no longer than `limit` characters: the text, the numbered choices,
 * then "99 Xem them" while more follows and "0 Quay lai" where back leads somewhere. Choices keep
 * their numbers across pages, so "5" picks the same thing whichever page is showing.
 */
export function paginateUssd(reply: Reply, limit: number): UssdScreen[] {
  const more = `${USSD_MORE}. ${toFeaturePhoneText(reply.nav.more)}`;
  const back = `${USSD_BACK}. ${toFeaturePhoneText(reply.nav.back)}`;
  const footerRoom = more.length + back.length + 2;
  const lines = [
    ...reply.texts.flatMap((t) => toFeaturePhoneText(t).split("\n")).flatMap((p) => wrap(p, limit - footerRoom - 1)),
    ...reply.choices.map((c) => wrap(`${c.number}. ${toFeaturePhoneText(c.label)}`, limit - footerRoom - 1)).flat(),
  ];
  const pages: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (current.length ? 1 : 0) + line.length;
    if (current.length && length + added > limit - footerRoom) {
      pages.push(current);
      current = [];
      length = 0;
    }
    length += (current.length ? 1 : 0) + line.length;
    current.push(line);
  }
  pages.push(current);
  // Everything may fit on one page once the "more" line is not needed.
  const single = [...lines, ...(reply.canGoBack && !reply.end ? [back] : [])].join("\n");
  if (pages.length > 1 && single.length <= limit) return [{ text: single, end: reply.end }];
  return pages.map((body, index) => {
    const last = index === pages.length - 1;
    const footer = [...(last ? [] : [more]), ...((index > 0 || reply.canGoBack) && !(reply.end && last) ? [back] : [])];
    return { text: [...body, ...footer].join("\n"), end: reply.end && last };
  });
}

/** The renderer the conversation host uses for USSD. */
export function ussdRenderer(limit: number) {
  return {
    moreInput: USSD_MORE,
    previousPageInput: USSD_BACK,
    render(reply: Reply, page: number) {
      const pages = paginateUssd(reply, limit);
      return { output: pages[Math.min(page, pages.length - 1)], pages: pages.length };
    },
  };
}
