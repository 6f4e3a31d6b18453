import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { configTable, withConfigTables } from "../../src/config/configTables.ts";
import { VARIABLES, type Section } from "../../src/config/variables.ts";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = path.join(PROJECT_ROOT, "src");
/** The config module: the only code that reads the environment. src/generated is Prisma's. */
const ALLOWED = [path.join(SRC, "config.ts"), path.join(SRC, "config") + path.sep];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join(SRC, "generated") ? [] : sourceFiles(full);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [full] : [];
  });
}

describe("the environment", () => {
  it("is read only in the config module", () => {
    const readers = sourceFiles(SRC)
      .filter((file) => !ALLOWED.some((allowed) => file === allowed || file.startsWith(allowed)))
      .filter((file) => fs.readFileSync(file, "utf8").includes("process.env"))
      .map((file) => path.relative(PROJECT_ROOT, file));
    expect(readers, "read variables through src/config (loadConfig, or setting() in a low-level module)").toEqual([]);
  });
});

describe("the README's tables of variables", () => {
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");

  it("are the ones src/config/variables.ts gives (npm run docs:config rewrites them)", () => {
    expect(readme === withConfigTables(readme), "the README's configuration tables are out of date: run npm run docs:config").toBe(true);
  });

  it("list every variable", () => {
    const sections = new Set(Object.values(VARIABLES).flatMap((v) => v.sections as readonly Section[]));
    for (const section of sections) expect(readme, `no "config table: ${section}" in the README`).toContain(`<!-- BEGIN config table: ${section} `);
    const listed = [...sections].flatMap((section) => configTable(section)).join("\n");
    for (const name of Object.keys(VARIABLES)) expect(listed).toContain(`| \`${name}\` |`);
  });
});
