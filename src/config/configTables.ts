import { VARIABLES, type Section, type Variable } from "./variables.ts";

/**
 * The README's variable tables, written from VARIABLES between markers such as
 * `<!-- BEGIN config table: service … -->` and `<!-- END config table: service -->` (a marker's
 * indentation is kept, so a table can sit in a list item). `npm run docs:config` rewrites them; a
 * test fails when the README differs.
 */
const BLOCK = /^([ \t]*)(<!-- BEGIN config table: (\w+)[^\n]*-->)\n[\s\S]*?^[ \t]*(<!-- END config table: \3 -->)$/gm;

function cell(markdown: string): string {
  return markdown.replace(/\|/g, "\\|");
}

function shownDefault(v: Variable): string {
  if (v.shownDefault !== undefined) return v.shownDefault;
  return v.default === null ? "none" : `\`${String(v.default)}\``;
}

/** The Markdown table of one section's variables. */
export function configTable(section: Section): string[] {
  const rows = Object.entries(VARIABLES as Record<string, Variable>)
    .filter(([, v]) => v.sections.includes(section))
    .map(([name, v]) => `| \`${name}\` | ${cell(shownDefault(v))} | ${cell(v.meaning)} |`);
  return ["| Variable | Default | Meaning |", "|---|---|---|", ...rows];
}

const SECTIONS = new Set<string>(Object.values(VARIABLES as Record<string, Variable>).flatMap((v) => v.sections));

/** `markdown` with every marked table written afresh; throws on a marker naming no section. */
export function withConfigTables(markdown: string): string {
  return markdown.replace(BLOCK, (_block, indent: string, begin: string, section: string, end: string) => {
    if (!SECTIONS.has(section)) throw new Error(`README: "config table: ${section}" names no section of src/config/variables.ts (${[...SECTIONS].join(", ")})`);
    return [begin, ...configTable(section as Section), end].map((line) => indent + line).join("\n");
  });
}
