/**
 * A person's name shortened to fit an SMS: family and middle names to initials, the given name and
 * anything in brackets kept ("Nguyễn Văn An (DEMO)" → "N.V. An (DEMO)"). Vietnamese names end in
 * the given name, which is what people are called by.
 */
export function shortenName(name: string): string {
  const bracket = /\s*(\(.*\))\s*$/.exec(name);
  const words = (bracket ? name.slice(0, bracket.index) : name).trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return name;
  const given = words.at(-1)!;
  const initials = words.slice(0, -1).map((w) => `${[...w][0].toUpperCase()}.`).join("");
  return `${initials} ${given}${bracket ? ` ${bracket[1]}` : ""}`;
}
