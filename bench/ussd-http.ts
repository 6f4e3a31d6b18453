/**
 * USSD over HTTP, end to end: the real service (`node bin/ansinh.mjs serve`) on a fresh SQLite
 * database with 10,000 beneficiaries, driven by simulated callers in the Africa's Talking format.
 *
 *   npm run bench                      (= tsx bench/ussd-http.ts)
 *   npm run bench -- --cpu-prof        also profile the service and print where its CPU goes
 *   npm run bench -- --quick           short runs, to check the bench itself works
 *   npm run bench -- --json out.json   also write every figure as JSON
 *   npm run bench -- --skip-baselines --rates 500 --service-node-arg <flag>   experiments on the service alone
 *
 * Phases, in one run so the figures share the machine's state:
 *   1. closed loop (autocannon, 50 connections, 15 s after a 3 s warm-up): throughput;
 *   2. open loop (evenly paced sends at 500, 1,000 and 2,000 hops/s, 10 s each, round-robin over
 *      10,000 callers): latency at a given arrival rate; then the service's RSS;
 *   3. the baseline, Express + ussd-menu-builder on a six-level menu with no database, under the
 *      same closed loop and the open loop at 1,000/s;
 *   4. a trivial Express "hello" server under the same closed loop: the load generator's ceiling.
 * The load generator runs in this process and shares the machine's cores with the server under
 * test; each phase prints both processes' CPU use so that contention is visible.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { toFeaturePhoneText } from "../src/shared/featurePhoneText.ts";
import { readLocaleResources } from "../src/i18n/translator.ts";
import { LOCALES_DIR } from "../src/shared/projectPaths.ts";
import { loadSecret } from "../src/shared/secrets.ts";
import { AnsinhCaller, callerPool, HopTally, roundRobin, screenWords, SixLevelCaller, type Caller } from "./lib/callers.ts";
import { cpuSeconds, freePort, machineBusySeconds, rssMiB, startChild, type Child } from "./lib/children.ts";
import { closedLoop, type ClosedLoopResult } from "./lib/closedLoop.ts";
import { inclusiveShare, summarizeCpuProfile } from "./lib/cpuProfile.ts";
import { describeMachine, fmt, runBench, sleep, table } from "./lib/machine.ts";
import { MAX_IN_FLIGHT, pacedOpenLoop, type OpenLoopResult } from "./lib/pacedSender.ts";
import { callerMsisdn, loadBenchBeneficiaries } from "./lib/paymentList.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const QUICK = flag("--quick");
const CPU_PROF = flag("--cpu-prof");
const valuesOf = (name: string) => args.flatMap((a, i) => (a === name && i + 1 < args.length ? [args[i + 1]] : []));
const JSON_OUT = valuesOf("--json")[0];
/** Extra node flags for the service child, for experiments (e.g. --service-node-arg=--max-semi-space-size=64 or an --import hook). */
const SERVICE_NODE_ARGS = valuesOf("--service-node-arg");
const SKIP_BASELINES = flag("--skip-baselines");

const CALLERS = 10_000;
const CONNECTIONS = 50;
const WARMUP_SECONDS = QUICK ? 1 : 3;
const CLOSED_SECONDS = QUICK ? 3 : 15;
const OPEN_SECONDS = QUICK ? 3 : 10;
const OPEN_RATES = valuesOf("--rates")[0]?.split(",").map(Number) ?? [500, 1000, 2000];
const BASELINE_OPEN_RATE = 1000;
const PAUSE_MS = 1500; // between phases: let the previous phase's last writes and GC settle
/** Cores used by processes outside the bench above which a phase is flagged as disturbed. */
const DISTURBED = 0.2;

interface Phase {
  label: string;
  closed?: ClosedLoopResult;
  open?: OpenLoopResult;
  tally: HopTally;
  /** CPU seconds per wall second during the phase: the server's and this (load generator) process's. */
  serverCpu: number;
  generatorCpu: number;
  /** CPU used meanwhile by every other process on the machine (cores): other work skews the figures. */
  otherCpu: number;
}

/** Runs `work` and measures the CPU the server child and this process used meanwhile. */
async function measured<T>(child: Child, work: () => Promise<T>): Promise<{ result: T; serverCpu: number; generatorCpu: number; otherCpu: number }> {
  const wall0 = performance.now();
  const server0 = cpuSeconds(child.pid);
  const machine0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  const result = await work();
  const wall = (performance.now() - wall0) / 1000;
  const self = process.cpuUsage(self0);
  const serverCpu = (cpuSeconds(child.pid) - server0) / wall;
  const generatorCpu = (self.user + self.system) / 1e6 / wall;
  const otherCpu = Math.max(0, (machineBusySeconds() - machine0) / wall - serverCpu - generatorCpu);
  return { result, serverCpu, generatorCpu, otherCpu };
}

/**
 * Every caller starts the open loop between dials, so a plain round-robin would make the first
 * 10,000 hops all dials. This sends caller i (i mod `spread`) hops first, unmeasured, so that
 * neighbours in the round-robin are at different points of their journeys and every rate sees
 * about the same mix of dials and answers.
 */
async function stagger(child: Child, callers: Caller[], spread: number, rate: number): Promise<void> {
  const owed = callers.map((_, i) => i % spread);
  const total = owed.reduce((sum, n) => sum + n, 0);
  let cursor = 0;
  const next = () => {
    for (let tried = 0; tried < callers.length; tried++) {
      const i = cursor;
      cursor = (cursor + 1) % callers.length;
      if (owed[i] > 0 && !callers[i].busy) {
        owed[i]--;
        return callers[i];
      }
    }
    return null;
  };
  for (const c of callers) c.tally = new HopTally();
  await pacedOpenLoop({ port: child.port, rate, seconds: total / rate, next });
  for (const c of callers) if (c.busy) c.hangUp();
  console.log(`  staggered the callers: ${fmt.int(total)} unmeasured hops at ${fmt.int(rate)}/s`);
}

/** Shows the first failed answers and what the server said about them on stderr. */
function reportErrors(child: Child, tally: HopTally): void {
  if (!tally.firstErrors.length) return;
  console.log(`  first errors: ${JSON.stringify(tally.firstErrors)}`);
  const said = child.stderrTail().trim().split("\n").slice(-3);
  if (said.length && said[0]) console.log(`  ${child.name} stderr (last lines):\n    ${said.join("\n    ")}`);
}

async function closedPhase(label: string, child: Child, callers: Caller[], tallyOf: (t: HopTally) => void): Promise<Phase> {
  const pool = callerPool(callers);
  pool.reset();
  tallyOf(new HopTally());
  await closedLoop({ port: child.port, connections: CONNECTIONS, seconds: WARMUP_SECONDS, take: pool.take, give: pool.give });
  await sleep(PAUSE_MS);
  pool.reset();
  const tally = new HopTally();
  tallyOf(tally);
  const { result, serverCpu, generatorCpu, otherCpu } = await measured(child, () =>
    closedLoop({ port: child.port, connections: CONNECTIONS, seconds: CLOSED_SECONDS, take: pool.take, give: pool.give }),
  );
  pool.reset(); // connections stopped mid-dial: those callers dial afresh next time
  const phase = { label, closed: result, tally, serverCpu, generatorCpu, otherCpu };
  console.log(
    `${label}: ${fmt.int(result.hopsPerSecond)} hops/s, p50 ${fmt.ms(result.p50)} ms, p99 ${fmt.ms(result.p99)} ms, ` +
      `errors ${result.transportErrors + tally.errors}, unexpected screens ${tally.unexpected}, dials ${fmt.int(tally.dials)}; ` +
      `CPU server ${serverCpu.toFixed(2)} / generator ${generatorCpu.toFixed(2)} / other processes ${otherCpu.toFixed(2)} cores`,
  );
  reportErrors(child, tally);
  return phase;
}

async function openPhase(
  label: string,
  child: Child,
  callers: Caller[],
  next: () => Caller | null,
  rate: number,
  tallyOf: (t: HopTally) => void,
): Promise<Phase> {
  const tally = new HopTally();
  tallyOf(tally);
  const { result, serverCpu, generatorCpu, otherCpu } = await measured(child, () => pacedOpenLoop({ port: child.port, rate, seconds: OPEN_SECONDS, next }));
  for (const c of callers) if (c.busy) c.hangUp(); // answers that never came
  console.log(
    `${label} @ ${fmt.int(rate)}/s: achieved ${fmt.int(result.achievedRate)}/s, p50 ${fmt.ms(result.p50)} ms, p99 ${fmt.ms(result.p99)} ms, ` +
      `max ${fmt.ms(result.max)} ms, errors ${result.errors}, unexpected screens ${tally.unexpected}, dials ${fmt.pct(tally.dials / Math.max(1, result.sent))} of hops, ` +
      `sender lag p99 ${fmt.ms(result.senderLagP99)} ms, ` +
      `skipped ${result.skipped}; CPU server ${serverCpu.toFixed(2)} / generator ${generatorCpu.toFixed(2)} / other processes ${otherCpu.toFixed(2)} cores`,
  );
  reportErrors(child, tally);
  return { label: `${label} @ ${fmt.int(rate)}/s`, open: result, tally, serverCpu, generatorCpu, otherCpu };
}

/**
 * The baseline (Express + ussd-menu-builder on a six-level menu, no database) under the same closed
 * loop and the open loop at 1,000/s, then the ceiling: the same client against a server that does nothing.
 */
async function runBaselines(children: Child[]): Promise<{ closed: Phase; open: Phase; helloClosed: Phase }> {
  await sleep(PAUSE_MS);
  const baseline = await startChild({
    name: "express + ussd-menu-builder",
    cwd: ROOT,
    args: ["--import", "tsx", "bench/servers/ussd-menu-builder-server.ts"],
    env: {},
    port: await freePort(),
  });
  children.push(baseline);
  const sixLevelCallers = Array.from({ length: CALLERS }, (_, i) => new SixLevelCaller(i, callerMsisdn(i), new HopTally()));
  const setTally = (t: HopTally) => {
    for (const c of sixLevelCallers) c.tally = t;
  };
  const closed = await closedPhase("Express + ussd-menu-builder closed loop", baseline, sixLevelCallers, setTally);
  await sleep(PAUSE_MS);
  await stagger(baseline, sixLevelCallers, 7, 2000); // a dial there is 7 hops; 30,000 hops
  const open = await openPhase("Express + ussd-menu-builder open loop", baseline, sixLevelCallers, roundRobin(sixLevelCallers), BASELINE_OPEN_RATE, setTally);
  await baseline.stop();

  await sleep(PAUSE_MS);
  const hello = await startChild({ name: "express hello", cwd: ROOT, args: ["--import", "tsx", "bench/servers/hello-server.ts"], env: {}, port: await freePort() });
  children.push(hello);
  const helloCallers = Array.from({ length: CALLERS }, (_, i) => new SixLevelCaller(i, callerMsisdn(i), new HopTally(), false));
  const helloClosed = await closedPhase("Express hello closed loop", hello, helloCallers, (t) => {
    for (const c of helloCallers) c.tally = t;
  });
  await hello.stop();
  return { closed, open, helloClosed };
}

async function main(): Promise<void> {
  const command = process.env.npm_lifecycle_event
    ? `npm run ${process.env.npm_lifecycle_event}${args.length ? ` -- ${args.join(" ")}` : ""}`
    : `npx tsx bench/ussd-http.ts ${args.join(" ")}`.trim();
  if (process.env.npm_lifecycle_event === "bench") {
    // `npm run bench` is this bench; say which others exist (each runs with one command, see docs/benchmarks.md).
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    console.log(`benchmarks: ${scripts.filter((s) => s.startsWith("bench:")).map((s) => `npm run ${s}`).join(", ")} (this one: the USSD bench, = npm run bench:ussd)`);
  }
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: ${command}`);
  console.log(`date: ${new Date().toISOString()}, load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(
    `load generator: this process (autocannon for the closed loop, a paced sender for the open loop), ` +
      `sharing the ${os.cpus().length} cores with the server under test`,
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-bench-ussd-"));
  const children: Child[] = [];
  const results: Record<string, unknown> = { machine: describeMachine(), command, date: new Date().toISOString() };
  try {
    // ---- Data: the real importer, so the service reads what a real list produces.
    const secretText = `bench-${randomBytes(8).toString("hex")}`;
    process.env.ANSINH_SECRET = secretText; // the import and the service must agree on it
    process.env.LOG_LEVEL ??= "warn";
    const databaseUrl = `file:${path.join(dir, "ansinh.db")}`;
    const loaded = await loadBenchBeneficiaries(databaseUrl, dir, CALLERS, loadSecret(dir));
    console.log(`data: ${fmt.int(CALLERS)} beneficiaries, ${fmt.int(loaded.payments)} payments over 3 periods, imported in ${loaded.seconds.toFixed(1)} s`);

    // ---- The service.
    const profileDir = path.join(dir, "cpu-profile");
    const service = await startChild({
      name: "ansinh serve",
      cwd: ROOT,
      args: [...SERVICE_NODE_ARGS, ...(CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "bin/ansinh.mjs", "serve", "--no-demo"],
      env: { DATABASE_URL: databaseUrl, ANSINH_SECRET: secretText, LOG_LEVEL: "warn", DEMO_DATA: "off" },
      port: await freePort(),
    });
    children.push(service);
    const rssIdle = rssMiB(service.pid);
    console.log(`service: pid ${service.pid}, port ${service.port}, RSS idle ${rssIdle.toFixed(0)} MiB${CPU_PROF ? " (profiling: figures are lower than without --cpu-prof)" : ""}`);

    const words = screenWords(readLocaleResources(LOCALES_DIR), toFeaturePhoneText);
    const ansinhCallers = Array.from({ length: CALLERS }, (_, i) => new AnsinhCaller(i, callerMsisdn(i), new HopTally(), words));
    const setServiceTally = (t: HopTally) => {
      for (const c of ansinhCallers) c.tally = t;
    };
    const serviceClosed = await closedPhase("AnSinh closed loop", service, ansinhCallers, setServiceTally);
    await sleep(PAUSE_MS);
    await stagger(service, ansinhCallers, 3, 600); // 10,000 hops at a rate the service keeps up with
    const serviceOpen: Phase[] = [];
    const nextCaller = roundRobin(ansinhCallers);
    for (const rate of OPEN_RATES) {
      await sleep(PAUSE_MS);
      serviceOpen.push(await openPhase("AnSinh open loop", service, ansinhCallers, nextCaller, rate, setServiceTally));
    }
    const rssAfter = rssMiB(service.pid);
    console.log(`service RSS after the open loop (all ${fmt.int(CALLERS)} callers touched): ${rssAfter.toFixed(0)} MiB (idle ${rssIdle.toFixed(0)} MiB)`);
    await service.stop();

    let profileSummary: string | undefined;
    if (CPU_PROF) {
      const file = fs.readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
      if (file) {
        const full = path.join(profileDir, file);
        const kept = path.join(os.tmpdir(), `ansinh-service-${Date.now()}.cpuprofile`);
        fs.copyFileSync(full, kept);
        const share = (re: RegExp) => `${(100 * inclusiveShare(full, (name, url) => re.test(`${name} ${url}`))).toFixed(1)} %`;
        profileSummary = [
          summarizeCpuProfile(full, ROOT),
          "inclusive share of samples:",
          `  Engine.step                ${share(/^step .*engine\/engine\.ts/)}`,
          `  ConversationService.save   ${share(/^save .*conversationService\.ts/)}`,
          `  SessionStore.get           ${share(/^get .*sessionStore\.ts/)}`,
          `  paginateUssd               ${share(/^paginateUssd /)}`,
          `  urlencodedParser           ${share(/^urlencodedParser /)}`,
          `  (garbage collector)        ${share(/^\(garbage collector\) /)}`,
          `profile kept at ${kept} (open it in Chrome DevTools > Performance)`,
        ].join("\n");
        console.log(profileSummary);
      }
    }

    const baselines = SKIP_BASELINES ? null : await runBaselines(children);

    // ---- Summary.
    // Closed loop: autocannon's connection errors and timeouts plus the answers the callers found bad; open loop: the sender counts all.
    const errorsOf = (p: Phase) => (p.open ? p.open.errors : p.closed!.transportErrors + p.tally.errors);
    const cpuOf = (p: Phase) => `${p.serverCpu.toFixed(2)} / ${p.generatorCpu.toFixed(2)} / ${p.otherCpu.toFixed(2)}${p.otherCpu > DISTURBED ? " !" : ""}`;
    const closedPhases = [serviceClosed, ...(baselines ? [baselines.closed, baselines.helloClosed] : [])];
    const closedRows = closedPhases.map((p) => [
      p.label.replace(" closed loop", ""),
      fmt.int(p.closed!.hopsPerSecond),
      fmt.ms(p.closed!.p50),
      fmt.ms(p.closed!.p99),
      errorsOf(p),
      p.tally.unexpected,
      cpuOf(p),
    ]);
    const openRows = [...serviceOpen, ...(baselines ? [baselines.open] : [])].map((p) => [
      p.label.replace(" open loop", ""),
      fmt.int(p.open!.achievedRate),
      fmt.ms(p.open!.p50),
      fmt.ms(p.open!.p99),
      fmt.ms(p.open!.max),
      errorsOf(p),
      fmt.int(p.open!.skipped),
      fmt.pct(p.tally.dials / Math.max(1, p.open!.sent)),
      fmt.ms(p.open!.senderLagP99),
      cpuOf(p),
    ]);
    const share = baselines ? serviceClosed.closed!.hopsPerSecond / baselines.closed.closed!.hopsPerSecond : Number.NaN;
    console.log("");
    console.log(`Closed loop: autocannon, ${CONNECTIONS} connections, ${CLOSED_SECONDS} s after a ${WARMUP_SECONDS} s warm-up (load generator on the same ${os.cpus().length} cores)`);
    console.log(table(["server", "hops/s", "p50 ms", "p99 ms", "errors", "unexpected", "CPU cores: server / generator / other"], closedRows));
    console.log(`AnSinh closed-loop throughput = ${fmt.pct(share)} of Express + ussd-menu-builder's (target ≥ 3,000 hops/s)`);
    console.log("");
    console.log(`Open loop: evenly paced sends, ${OPEN_SECONDS} s per rate, round-robin over ${fmt.int(CALLERS)} callers (load generator on the same cores)`);
    console.log(table(["server @ offered rate", "achieved/s", "p50 ms", "p99 ms", "max ms", "errors", "not sent", "dials", "sender lag p99 ms", "CPU cores: server / generator / other"], openRows));
    console.log(`("not sent": ${fmt.int(MAX_IN_FLIGHT)} requests were already waiting for answers, so the sender held back rather than pile on)`);
    console.log(`"!": other processes used more than ${DISTURBED} of a core during that phase; its figures are not comparable`);
    console.log(`AnSinh service RSS: ${rssIdle.toFixed(0)} MiB idle, ${rssAfter.toFixed(0)} MiB after the open loop (${fmt.int(CALLERS)} sessions touched)`);
    console.log(
      `AnSinh session mix: ${fmt.int(serviceClosed.tally.dials)} dials in the closed loop, ${fmt.int(serviceClosed.tally.resumeOffers)} of them offered to resume a dropped dial`,
    );

    Object.assign(results, {
      config: { callers: CALLERS, connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, closedSeconds: CLOSED_SECONDS, openSeconds: OPEN_SECONDS, openRates: OPEN_RATES, serviceNodeArgs: SERVICE_NODE_ARGS },
      import: loaded,
      // Without the raw latencies (hundreds of thousands of numbers per phase).
      phases: [serviceClosed, ...serviceOpen, ...(baselines ? [baselines.closed, baselines.open, baselines.helloClosed] : [])].map((p) => ({
        ...p,
        closed: p.closed && { ...p.closed, latencies: undefined },
        open: p.open && { ...p.open, latencies: undefined },
      })),
      rssMiB: { idle: rssIdle, afterOpenLoop: rssAfter },
      shareOfBaseline: share,
      profileSummary,
    });
    if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
  } finally {
    for (const child of children) await child.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
