/**
 * Splits text into messages of at most `limit` characters, at the most natural boundary in the
 * second half of each message: between paragraphs, then lines, then words; a run with no such
 * boundary is cut at the limit.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  // A boundary in the first half of the window would leave a stub of a message: look past it.
  const atLeast = Math.floor(limit / 2);
  const lastAfter = (window: string, separator: string) => {
    const at = window.lastIndexOf(separator);
    return at >= atLeast ? at : -1;
  };
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = lastAfter(window, "\n\n");
    if (cut < 0) cut = lastAfter(window, "\n");
    if (cut < 0) cut = lastAfter(window, " ");
    if (cut < 0) cut = limit;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, "");
  }
  if (rest) parts.push(rest);
  return parts;
}
