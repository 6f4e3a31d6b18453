/**
 * Turns a statement written for both databases (see sql.ts) into PostgreSQL's form:
 * - `?` becomes `$1`, `$2`, ... in order; `@name` becomes the `$n` of that name (the same name
 *   twice is the same value);
 * - a bare identifier with both cases (`ConversationSession`, `expiresAt`, an alias such as
 *   `waitingSince`) is quoted. Prisma creates PostgreSQL tables and columns with their exact
 *   names, and PostgreSQL folds unquoted names to lower case; SQLite ignores case, so statements
 *   are written without quotes and this puts them in. Keywords are written in capitals and names
 *   in lower case or camelCase, which is what tells them apart; all-lower-case names need no quotes.
 * Text in single quotes, quoted names and `--` comments are copied as they are.
 *
 * The result is computed once per statement text and kept by the client.
 */
export interface PostgresStatement {
  text: string;
  /** For `@name` placeholders: the name of each `$n`, in order. Empty for `?` placeholders. */
  names: string[];
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;

export function toPostgresText(source: string): PostgresStatement {
  let out = "";
  let positional = 0;
  const names: string[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "'" || c === '"') {
      const end = closing(source, i, c);
      out += source.slice(i, end);
      i = end;
    } else if (c === "-" && source[i + 1] === "-") {
      const end = source.indexOf("\n", i);
      const stop = end < 0 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === "?") {
      out += `$${++positional}`;
      i++;
    } else if (c === "@" && WORD_START.test(source[i + 1] ?? "")) {
      const end = wordEnd(source, i + 1);
      const name = source.slice(i + 1, end);
      let index = names.indexOf(name);
      if (index < 0) index = names.push(name) - 1;
      out += `$${index + 1}`;
      i = end;
    } else if (WORD_START.test(c) && !WORD_PART.test(source[i - 1] ?? "") && source[i - 1] !== "$") {
      const end = wordEnd(source, i);
      const word = source.slice(i, end);
      out += /[a-z]/.test(word) && /[A-Z]/.test(word) ? `"${word}"` : word;
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) throw new Error("a statement uses both ? and @name placeholders");
  return { text: out, names };
}

function wordEnd(source: string, from: number): number {
  let end = from;
  while (end < source.length && WORD_PART.test(source[end])) end++;
  return end;
}

/** The index just after the quote that closes the one at `start` (a doubled quote is part of the text). */
function closing(source: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < source.length) {
    if (source[i] === quote) {
      if (source[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return source.length;
}
