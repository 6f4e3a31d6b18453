/**
 * USSD over HTTP on the three deployment shapes, in one run: one instance on SQLite, one on
 * PostgreSQL, three on PostgreSQL (the three share this machine's cores with PostgreSQL and the
 * load generator: that is reported as it is, not as what three machines would do).
 *
 *   npm run bench:scale                 (= tsx bench/ussd-scale.ts)
 *   npm run bench:scale -- --quick      short runs, to check the bench itself works
 *
 * Each shape gets a fresh database with the same 10,000 beneficiaries (imported by the real
 * importer), then:
 *   1. closed loop: autocannon, 50 connections in all, split evenly over the instances (each
 *      connection keeps to one instance, as a load balancer with keep-alive does; a caller's next
 *      dial may land on another instance);
 *   2. open loop at 500 and 1,000 hops/s offered, evenly paced, the sends taking the instances in
 *      turn hop by hop (a session's hops land on different instances), round-robin over the callers.
 * PostgreSQL is the machine's own server on 127.0.0.1:5432 (TEST_POSTGRES_URL to change it).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { toFeaturePhoneText } from "../src/shared/featurePhoneText.ts";
import { readLocaleResources } from "../src/i18n/translator.ts";
import { LOCALES_DIR } from "../src/shared/projectPaths.ts";
import { loadSecret } from "../src/shared/secrets.ts";
import { AnsinhCaller, callerPool, HopTally, roundRobin, screenWords } from "./lib/callers.ts";
import { cpuSeconds, freePort, machineBusySeconds, rssMiB, startChild, type Child } from "./lib/children.ts";
import { closedLoop, type ClosedLoopResult } from "./lib/closedLoop.ts";
import { describeMachine, fmt, percentileOfMerged, runBench, sleep, table } from "./lib/machine.ts";
import { pacedOpenLoop, type OpenLoopResult } from "./lib/pacedSender.ts";
import { callerMsisdn, loadBenchBeneficiaries } from "./lib/paymentList.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const CALLERS = QUICK ? 2_000 : 10_000;
const CONNECTIONS = 50;
const WARMUP_SECONDS = QUICK ? 1 : 3;
const CLOSED_SECONDS = QUICK ? 3 : 15;
const OPEN_SECONDS = QUICK ? 3 : 10;
const OPEN_RATES = [500, 1000];
const PAUSE_MS = 1500;
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

interface Shape {
  label: string;
  database: "sqlite" | "postgres";
  instances: number;
}
const SHAPES: Shape[] = [
  { label: "1 instance, SQLite", database: "sqlite", instances: 1 },
  { label: "1 instance, PostgreSQL", database: "postgres", instances: 1 },
  { label: "3 instances, PostgreSQL", database: "postgres", instances: 3 },
];

interface ShapeResult {
  shape: Shape;
  closed: Omit<ClosedLoopResult, "latencies"> & { errors: number; unexpected: number };
  open: (Omit<OpenLoopResult, "latencies"> & { unexpected: number })[];
  /** CPU cores used during the closed loop: the instances together, the generator, everything else (PostgreSQL included). */
  cpu: { instances: number; generator: number; others: number };
  rssMiB: number[];
}

/** A fresh PostgreSQL database for one shape; dropped at the end. */
async function createPostgresDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** CPU used during `work`: the instances together, this process, and every other process (cores). */
async function measured<T>(children: Child[], work: () => Promise<T>): Promise<{ result: T; cpu: ShapeResult["cpu"] }> {
  const wall0 = performance.now();
  const servers0 = children.reduce((sum, c) => sum + cpuSeconds(c.pid), 0);
  const machine0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  const result = await work();
  const wall = (performance.now() - wall0) / 1000;
  const instances = (children.reduce((sum, c) => sum + cpuSeconds(c.pid), 0) - servers0) / wall;
  const self = process.cpuUsage(self0);
  const generator = (self.user + self.system) / 1e6 / wall;
  const others = Math.max(0, (machineBusySeconds() - machine0) / wall - instances - generator);
  return { result, cpu: { instances, generator, others } };
}

async function runShape(shape: Shape, dir: string, secretText: string, words: ReturnType<typeof screenWords>): Promise<ShapeResult> {
  const tag = `${shape.database}-${shape.instances}`;
  const postgres = shape.database === "postgres" ? await createPostgresDatabase(`ansinh_bench_${tag}_${randomBytes(4).toString("hex")}`) : null;
  const databaseUrl = postgres?.url ?? `file:${path.join(dir, `${tag}.db`)}`;
  const children: Child[] = [];
  try {
    const loaded = await loadBenchBeneficiaries(databaseUrl, dir, CALLERS, loadSecret(dir));
    console.log(`${shape.label}: ${fmt.int(CALLERS)} beneficiaries, ${fmt.int(loaded.payments)} payments imported in ${loaded.seconds.toFixed(1)} s`);
    for (let i = 0; i < shape.instances; i++) {
      children.push(
        await startChild({
          name: `ansinh serve #${i + 1}`,
          cwd: ROOT,
          args: ["bin/ansinh.mjs", "serve", "--no-demo"],
          env: { DATABASE_URL: databaseUrl, ANSINH_SECRET: secretText, LOG_LEVEL: "warn", DEMO_DATA: "off" },
          port: await freePort(),
        }),
      );
    }
    const callers = Array.from({ length: CALLERS }, (_, i) => new AnsinhCaller(i, callerMsisdn(i), new HopTally(), words));
    const setTally = (t: HopTally) => {
      for (const c of callers) c.tally = t;
    };

    // Closed loop: the connections split over the instances, one shared pool of callers.
    const pool = callerPool(callers);
    const perInstance = (n: number, i: number) => Math.floor(n / children.length) + (i < n % children.length ? 1 : 0);
    const closedRun = (seconds: number) =>
      Promise.all(children.map((c, i) => closedLoop({ port: c.port, connections: perInstance(CONNECTIONS, i), seconds, take: pool.take, give: pool.give })));
    pool.reset();
    setTally(new HopTally());
    await closedRun(WARMUP_SECONDS);
    await sleep(PAUSE_MS);
    pool.reset();
    const closedTally = new HopTally();
    setTally(closedTally);
    const { result: parts, cpu } = await measured(children, () => closedRun(CLOSED_SECONDS));
    pool.reset();
    const requests = parts.reduce((sum, p) => sum + p.requests, 0);
    const seconds = Math.max(...parts.map((p) => p.seconds));
    const closed = {
      seconds,
      requests,
      hopsPerSecond: parts.reduce((sum, p) => sum + p.hopsPerSecond, 0),
      // Percentiles over every instance's latencies together.
      p50: percentileOfMerged(parts, 50),
      p99: percentileOfMerged(parts, 99),
      max: Math.max(...parts.map((p) => p.max)),
      transportErrors: parts.reduce((sum, p) => sum + p.transportErrors, 0),
      errors: parts.reduce((sum, p) => sum + p.transportErrors, 0) + closedTally.errors,
      unexpected: closedTally.unexpected,
    };
    console.log(
      `  closed loop: ${fmt.int(closed.hopsPerSecond)} hops/s, p50 ${fmt.ms(closed.p50)} ms, p99 ${fmt.ms(closed.p99)} ms, errors ${closed.errors}, ` +
        `unexpected ${closed.unexpected}; CPU instances ${cpu.instances.toFixed(2)} / generator ${cpu.generator.toFixed(2)} / others ${cpu.others.toFixed(2)} cores`,
    );

    // Open loop: evenly paced; the sends take the instances in turn, hop by hop.
    const open: ShapeResult["open"] = [];
    const next = roundRobin(callers);
    for (const rate of OPEN_RATES) {
      await sleep(PAUSE_MS);
      const tally = new HopTally();
      setTally(tally);
      const results = await Promise.all(children.map((c) => pacedOpenLoop({ port: c.port, rate: rate / children.length, seconds: OPEN_SECONDS, next })));
      for (const c of callers) if (c.busy) c.hangUp();
      const merged = {
        offeredRate: rate,
        sent: results.reduce((s, r) => s + r.sent, 0),
        answered: results.reduce((s, r) => s + r.answered, 0),
        achievedRate: results.reduce((s, r) => s + r.achievedRate, 0),
        p50: percentileOfMerged(results, 50),
        p99: percentileOfMerged(results, 99),
        max: Math.max(...results.map((r) => r.max)),
        errors: results.reduce((s, r) => s + r.errors, 0),
        senderLagP99: Math.max(...results.map((r) => r.senderLagP99)),
        skipped: results.reduce((s, r) => s + r.skipped, 0),
        unexpected: tally.unexpected,
      };
      open.push(merged);
      console.log(
        `  open loop @ ${fmt.int(rate)}/s: achieved ${fmt.int(merged.achievedRate)}/s, p50 ${fmt.ms(merged.p50)} ms, p99 ${fmt.ms(merged.p99)} ms, ` +
          `max ${fmt.ms(merged.max)} ms, errors ${merged.errors}, unexpected ${merged.unexpected}`,
      );
    }
    const rss = children.map((c) => rssMiB(c.pid));
    return { shape, closed, open, cpu, rssMiB: rss };
  } finally {
    for (const child of children) await child.stop();
    await postgres?.drop();
  }
}

async function main(): Promise<void> {
  const command = process.env.npm_lifecycle_event
    ? `npm run ${process.env.npm_lifecycle_event}${args.length ? ` -- ${args.join(" ")}` : ""}`
    : `npx tsx bench/ussd-scale.ts ${args.join(" ")}`.trim();
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: ${command}`);
  console.log(`date: ${new Date().toISOString()}, load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`PostgreSQL: ${POSTGRES_ADMIN_URL.replace(/\/[^/]*$/, "/…")} on this machine; load generator in this process; all share the ${os.cpus().length} cores`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-bench-scale-"));
  const secretText = `bench-${randomBytes(8).toString("hex")}`;
  process.env.ANSINH_SECRET = secretText;
  process.env.LOG_LEVEL ??= "warn";
  const words = screenWords(readLocaleResources(LOCALES_DIR), toFeaturePhoneText);
  const results: ShapeResult[] = [];
  try {
    for (const shape of SHAPES) {
      results.push(await runShape(shape, dir, secretText, words));
      await sleep(PAUSE_MS);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log("");
  console.log(`Closed loop: ${CONNECTIONS} connections in all, ${CLOSED_SECONDS} s after a ${WARMUP_SECONDS} s warm-up; open loop: ${OPEN_SECONDS} s per rate; ${fmt.int(CALLERS)} callers`);
  console.log(
    table(
      ["shape", "closed hops/s", "closed p99 ms", ...OPEN_RATES.flatMap((r) => [`${fmt.int(r)}/s p50 ms`, `${fmt.int(r)}/s p99 ms`]), "errors", "CPU instances / generator / others", "RSS MiB each"],
      results.map((r) => [
        r.shape.label,
        fmt.int(r.closed.hopsPerSecond),
        fmt.ms(r.closed.p99),
        ...r.open.flatMap((o) => [fmt.ms(o.p50), fmt.ms(o.p99)]),
        String(r.closed.errors + r.open.reduce((s, o) => s + o.errors, 0)),
        `${r.cpu.instances.toFixed(2)} / ${r.cpu.generator.toFixed(2)} / ${r.cpu.others.toFixed(2)}`,
        r.rssMiB.map((m) => m.toFixed(0)).join(", "),
      ]),
    ),
  );
  console.log("(others: every other process during the closed loop, PostgreSQL's backends included)");
}

runBench(main);
