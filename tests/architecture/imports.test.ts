import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkImports } from "../../scripts/checkImports.ts";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";

describe("the imports of src/", () => {
  it("have no cycle, no domain file imports a channel, the engine imports only itself and src/shared, and only services.ts and src/cli load the database", () => {
    expect(checkImports(path.join(PROJECT_ROOT, "src"))).toEqual([]);
  });
});

describe("the import check", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  /** A src/ tree of the given files (path -> source). */
  function tree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-imports-"));
    dirs.push(dir);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
  }

  it("finds a cycle, also through a type-only import or an export ... from", () => {
    const problems = checkImports(
      tree({
        "domain/a.ts": `import { b } from "./b.ts";\nexport const a = b;`,
        "domain/b.ts": `import type { C } from "./nested/c.ts";\nexport const b = 1;`,
        "domain/nested/c.ts": `export { a } from "../a.ts";\nexport type C = number;`,
      }),
    );
    expect(problems).toEqual(["import cycle: src/domain/a.ts -> src/domain/b.ts -> src/domain/nested/c.ts -> src/domain/a.ts"]);
  });

  it("finds the domain importing a channel and the engine importing src/db, but not an import in a comment", () => {
    const problems = checkImports(
      tree({
        "channels/zalo/render.ts": `import { x } from "../../domain/x.ts";\nexport const render = x;`,
        "domain/x.ts": `// import { render } from "../channels/zalo/render.ts";\nexport const x = 1;`,
        "domain/preview.ts": `import type { render } from "../channels/zalo/render.ts";\nexport type P = typeof render;`,
        "engine/engine.ts": `import { x } from "../shared/x.ts";\nconst db = await import("../db/migrate.ts");\nexport const e = [x, db];`,
        "shared/x.ts": `export const x = 1;`,
        "db/migrate.ts": `export const d = 1;`,
        "services.ts": `import { render } from "./channels/zalo/render.ts";\nimport { e } from "./engine/engine.ts";\nexport const s = [render, e];`,
      }),
    );
    expect(problems).toEqual([
      "src/domain/preview.ts imports src/channels/zalo/render.ts: src/domain may not import from src/channels",
      "src/engine/engine.ts imports src/db/migrate.ts: src/engine may only import from src/engine and src/shared",
    ]);
  });

  it("lets only services.ts and the commands load the database module at run time; its types anyone may import", () => {
    const problems = checkImports(
      tree({
        "db/database.ts": `export interface AppDatabase { file: string }\nexport function openDatabase(): AppDatabase { return { file: "" }; }\nexport const sqlTimestamp = () => "";`,
        "services.ts": `import { openDatabase } from "./db/database.ts";\nexport const db = openDatabase();`,
        "cli/db.ts": `import { openDatabase, type AppDatabase } from "../db/database.ts";\nexport const db: AppDatabase = openDatabase();`,
        "domain/typesOnly.ts": `import type { AppDatabase } from "../db/database.ts";\nimport { type AppDatabase as Db } from "../db/database.ts";\nexport type T = [AppDatabase, Db, import("../db/database.ts").AppDatabase];`,
        "domain/timestamp.ts": `import { sqlTimestamp, type AppDatabase } from "../db/database.ts";\nexport const at: [string, AppDatabase?] = [sqlTimestamp()];`,
        "http/reexport.ts": `export { sqlTimestamp } from "../db/database.ts";\nexport type { AppDatabase } from "../db/database.ts";`,
      }),
    );
    expect(problems).toEqual([
      'src/domain/timestamp.ts loads src/db/database.ts (and the database drivers) at run time: only src/services.ts and src/cli may; import its types with "import type"',
      'src/http/reexport.ts loads src/db/database.ts (and the database drivers) at run time: only src/services.ts and src/cli may; import its types with "import type"',
    ]);
  });
});
