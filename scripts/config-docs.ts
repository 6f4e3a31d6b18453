// `npm run docs:config`: writes the README's tables of environment variables from the one table
// of them, src/config/variables.ts (tests/config/configDocs.test.ts fails while they differ).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { withConfigTables } from "../src/config/configTables.ts";

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../README.md");
const before = fs.readFileSync(README, "utf8");
const after = withConfigTables(before);
if (after === before) {
  process.stdout.write("README.md: the configuration tables are up to date\n");
} else {
  fs.writeFileSync(README, after);
  process.stdout.write("README.md: configuration tables rewritten from src/config/variables.ts\n");
}
