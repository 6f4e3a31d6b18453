import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TABLES = "src/db/generated-kysely/tables.ts";

describe("the row types", () => {
  it(`in ${TABLES} are what prisma generate writes from prisma/schema.prisma (else: npm run db:generate-types)`, () => {
    // The schema in a scratch folder: its generator writes to ../src/… of that folder, not into the tree.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-row-types-"));
    try {
      fs.mkdirSync(path.join(scratch, "prisma"));
      fs.copyFileSync(path.join(ROOT, "prisma/schema.prisma"), path.join(scratch, "prisma/schema.prisma"));
      execFileSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "generate", "--schema", path.join(scratch, "prisma/schema.prisma")], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        // The generator is found on PATH; no update check (it waits on a network this machine does not have).
        env: { ...process.env, PATH: `${path.join(ROOT, "node_modules/.bin")}${path.delimiter}${process.env.PATH}`, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      });
      expect(fs.readFileSync(path.join(scratch, TABLES), "utf8")).toBe(fs.readFileSync(path.join(ROOT, TABLES), "utf8"));
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("say what rows hold: timestamps as text, booleans as 1/0 (written as true/false)", () => {
    const tables = fs.readFileSync(path.join(ROOT, TABLES), "utf8");
    expect(tables).toMatch(/^\s+expiresAt: string;$/m);
    expect(tables).toMatch(/^\s+remindersOn: Generated<ColumnType<0 \| 1, boolean, boolean>>;$/m);
  });
});
