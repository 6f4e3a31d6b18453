/**
 * Both import benches, one after the other, each in its own process with the same arguments:
 *
 *   npm run bench:imports               payment list and results file, 100,000 rows each, CSV and XLSX
 *   npm run bench:imports -- --quick    2,000 rows: checks the benches work
 *   npm run bench:imports -- --rows 20000
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let failed = 0;
for (const file of ["bench/import-payments.ts", "bench/import-results.ts"]) {
  console.log(`\n==== ${file}`);
  const run = spawnSync(process.execPath, ["--import", "tsx", file, ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit" });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
