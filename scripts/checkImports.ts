/**
 * The layering rules of src/, checked from the source (run by tests/architecture/imports.test.ts, or
 * `npx tsx scripts/checkImports.ts`):
 * - no import cycles (a type-only import counts: a cycle of types is still two files that cannot
 *   be understood one without the other);
 * - src/domain imports no channel: channels translate for the domain, not the other way round;
 * - src/engine imports only src/engine and src/shared: it stays pure;
 * - only src/services.ts and src/cli load src/db/database.ts (and with it better-sqlite3, pg and
 *   Prisma) at run time; elsewhere its types only (`import type`).
 * The TypeScript parser reads the imports, so an import in a comment or a string is not one.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Directories under src/ whose files may import only from the listed directories (and themselves). */
const ALLOWED: Record<string, string[]> = {
  engine: ["engine", "shared"],
};
/** Directories under src/ that must not import from the listed ones. */
const FORBIDDEN: Record<string, string[]> = {
  domain: ["channels", "http", "cli"],
  shared: ["channels", "domain", "http", "cli", "db", "engine"],
  db: ["channels", "domain", "http", "cli", "engine"],
};

/** The module that opens the database, and the areas (first directories under src/, "" for the top) that may load it. */
const DATABASE_MODULE = "db/database.ts";
const DATABASE_OPENERS = ["", "cli"];

/** The files of src/ a file imports. */
type ImportGraph = Map<string, string[]>;

interface ImportsOfSrc {
  /** Every import, a type-only one included. */
  all: ImportGraph;
  /** The imports that load a module at run time. */
  runtime: ImportGraph;
}

/** Every .ts file under `srcDir` (paths relative to it, with "/"), and the files of src/ it imports. */
function readImports(srcDir: string): ImportsOfSrc {
  const all: ImportGraph = new Map();
  const runtime: ImportGraph = new Map();
  for (const file of tsFiles(srcDir)) {
    const found = moduleSpecifiers(file, readFileSync(path.join(srcDir, file), "utf8"))
      .filter(({ specifier }) => specifier.startsWith("."))
      .map(({ specifier, typeOnly }) => ({ target: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)), typeOnly }))
      .filter(({ target }) => !target.startsWith("../"));
    all.set(file, [...new Set(found.map(({ target }) => target))]);
    runtime.set(file, [...new Set(found.filter(({ typeOnly }) => !typeOnly).map(({ target }) => target))]);
  }
  return { all, runtime };
}

function tsFiles(dir: string, prefix = ""): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return relative === "generated" ? [] : tsFiles(dir, relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/**
 * `import ... from`, `export ... from`, `import "x"`, `import("x")` and `import("x").T` with a
 * literal, each with whether it names types only (the compiler erases it: nothing loads at run time).
 */
function moduleSpecifiers(fileName: string, text: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: importsTypesOnly(node.importClause) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `import type { A }` or `import { type A, type B }`; not `import "x"` nor `import { a }`. */
function importsTypesOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return false;
  const elements = clause.namedBindings.elements;
  return elements.length > 0 && elements.every((element) => element.isTypeOnly);
}

/** The first directory under src/ ("" for a file at the top, such as services.ts). */
function area(file: string): string {
  const slash = file.indexOf("/");
  return slash < 0 ? "" : file.slice(0, slash);
}

function layeringViolations(graph: ImportGraph): string[] {
  const violations: string[] = [];
  for (const [file, targets] of graph) {
    const from = area(file);
    for (const target of targets) {
      const to = area(target);
      if (to === from) continue;
      const allowed = ALLOWED[from];
      if (allowed && !allowed.includes(to)) {
        violations.push(`src/${file} imports src/${target}: src/${from} may only import from ${allowed.map((dir) => `src/${dir}`).join(" and ")}`);
      } else if (FORBIDDEN[from]?.includes(to)) {
        violations.push(`src/${file} imports src/${target}: src/${from} may not import from src/${to}`);
      }
    }
  }
  return violations;
}

function databaseLoads(runtime: ImportGraph): string[] {
  const violations: string[] = [];
  for (const [file, targets] of runtime) {
    if (targets.includes(DATABASE_MODULE) && !DATABASE_OPENERS.includes(area(file))) {
      violations.push(
        `src/${file} loads src/${DATABASE_MODULE} (and the database drivers) at run time: only src/services.ts and src/cli may; import its types with "import type"`,
      );
    }
  }
  return violations;
}

/** Each cycle once, as the files in import order ending where it began. */
function importCycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components: every component of more than one file (or a file
  // importing itself) holds a cycle; one shortest cycle through its first file is reported.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const strongConnect = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        strongConnect(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || graph.get(file)!.includes(file)) components.push(component.sort());
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) strongConnect(file);
  return components.map((component) => shortestCycle(graph, component[0]!, new Set(component)));
}

function shortestCycle(graph: ImportGraph, start: string, within: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of graph.get(file) ?? []) {
      if (!within.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at = file; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** Everything wrong with the imports under `srcDir`, one line each. */
export function checkImports(srcDir: string): string[] {
  const { all, runtime } = readImports(srcDir);
  return [
    ...importCycles(all).map((cycle) => `import cycle: ${cycle.map((file) => `src/${file}`).join(" -> ")}`),
    ...layeringViolations(all),
    ...databaseLoads(runtime),
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkImports(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src"));
  for (const problem of problems) console.error(problem);
  console.log(problems.length === 0 ? "imports: no cycle, layering respected" : `imports: ${problems.length} problem(s)`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
