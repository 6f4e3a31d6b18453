import os from "node:os";

/** One line naming the machine, so a figure is never read without knowing where it came from. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return (
    `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`
  );
}

/** Sorted copy of the samples, for percentiles. */
export function sorted(samples: ArrayLike<number>): Float64Array {
  return Float64Array.from(samples).sort();
}

/** Nearest-rank percentile of already sorted samples (p in 0..100); NaN when there are none. */
export function percentile(sortedSamples: Float64Array, p: number): number {
  if (sortedSamples.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedSamples.length);
  return sortedSamples[Math.min(sortedSamples.length - 1, Math.max(0, rank - 1))];
}

/** The `p`th percentile of several runs' latencies taken together (each run's `latencies` sorted). */
export function percentileOfMerged(runs: { latencies: Float64Array }[], p: number): number {
  const all = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const run of runs) {
    all.set(run.latencies, at);
    at += run.latencies.length;
  }
  return percentile(all.sort(), p);
}

export function median(samples: number[]): number {
  return percentile(sorted(samples), 50);
}

export const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : "-"),
  int: (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en") : "-"),
  pct: (v: number) => (Number.isFinite(v) ? `${Math.round(v * 100)} %` : "-"),
};

/** A plain text table: the bench prints these and docs/benchmarks.md copies them. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  return [line(cells[0]), `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...cells.slice(1).map(line)].join("\n");
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a bench's `main` and exits: 0 when it finished, 1 (with the error) when it failed. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    },
  );
}

/** The command that reproduces this run: `npm run <script> -- <args>` when started by npm, else `npx tsx <file> <args>`. */
export function commandLine(file: string): string {
  const args = process.argv.slice(2);
  return process.env.npm_lifecycle_event
    ? `npm run ${process.env.npm_lifecycle_event}${args.length ? ` -- ${args.join(" ")}` : ""}`
    : `npx tsx ${file} ${args.join(" ")}`.trim();
}

/** The three lines every bench starts with: machine, command, date (with the load average: other work on the cores). */
export function printRunHeader(file: string): void {
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: ${commandLine(file)}`);
  console.log(`date: ${new Date().toISOString()}, load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}
