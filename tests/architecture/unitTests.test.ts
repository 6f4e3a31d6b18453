import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";
import { INTEGRATION_ONLY_IMPORTS, UNIT_TESTS } from "../testProjects.ts";

/** The unit test files: the project's globs, matched against every test file. */
function unitTestFiles(): string[] {
  const all = (fs.readdirSync(path.join(PROJECT_ROOT, "tests"), { recursive: true }) as string[])
    .map((file) => path.posix.join("tests", file.split(path.sep).join("/")))
    .filter((file) => file.endsWith(".test.ts"));
  return all.filter((file) => UNIT_TESTS.some((glob) => path.matchesGlob(file, glob)));
}

describe("the unit test project", () => {
  it("holds files, none of which starts a server, a process or a browser", () => {
    const files = unitTestFiles();
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) => {
      const imports = [...fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
      return imports.filter((spec) => INTEGRATION_ONLY_IMPORTS.some((name) => spec === name || spec.endsWith(`/${name}.ts`))).map((spec) => `${file} imports ${spec}`);
    });
    expect(offending).toEqual([]);
  });
});
