/**
 * USSD over HTTP, end to end: the real service (`node bin/ansinh.mjs serve`) on a fresh SQLite
 * database with 10,000 beneficiaries, driven by simulated callers in the Africa's Talking format.
 *
 *   npm run bench                      (= tsx bench/ussd-http.ts)
 *   npm run bench -- --cpu-prof        also profile the service and print where its CPU goes
 *   npm run bench -- --quick           short runs, to check the bench itself works
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
import { toUssdText } from "../src/channels/ussd/ussdText.ts";
import { readLocaleResources } from "../src/i18n/translator.ts";
import { LOCALES_DIR } from "../src/services.ts";
import { loadSecret } from "../src/shared/secrets.ts";
import { AnsinhCaller, HopTally, screenWords, SixLevelCaller, type Caller } from "./lib/callers.ts";
import { cpuSeconds, freePort, machineBusySeconds, rssMiB, startChild, type Child } from "./lib/children.ts";
import { closedLoop, type ClosedLoopResult } from "./lib/closedLoop.ts";
import { inclusiveShare, summarizeCpuProfile } from "./lib/cpuProfile.ts";
import { describeMachine, fmt, sleep, table } from "./lib/machine.ts";
import { pacedOpenLoop, type OpenLoopResult } from "./lib/pacedSender.ts";
import { callerMsisdn, loadBenchBeneficiaries } from "./lib/paymentList.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const QUICK = flag("--quick");
const CPU_PROF = flag("--cpu-prof");
const jsonIndex = args.indexOf("--json");
const JSON_OUT = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;

const CALLERS = 10_000;
const CONNECTIONS = 50;
const WARMUP_SECONDS = QUICK ? 1 : 3;
const CLOSED_SECONDS = QUICK ? 3 : 15;
const OPEN_SECONDS = QUICK ? 3 : 10;
const OPEN_RATES = [500, 1000, 2000];
const BASELINE_OPEN_RATE = 1000;
const PAUSE_MS = 1500; // between phases: let the previous phase's last writes and GC settle

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

/** Callers handed out to closed-loop connections one dial at a time, so no two connections ever play the same phone at once. */
function callerPool(callers: Caller[]) {
  let free: Caller[] = [];
  return {
    reset() {
      for (const c of callers) c.hangUp();
      free = [...callers];
    },
    take(): Caller {
      const caller = free.shift();
      if (!caller) throw new Error("no free caller: more connections than callers");
      return caller;
    },
    give(caller: Caller) {
      free.push(caller);
    },
  };
}

/** Round-robin over every caller, skipping the few still waiting for an answer. */
function roundRobin(callers: Caller[]): () => Caller | null {
  let cursor = 0;
  return () => {
    for (let tried = 0; tried < callers.length; tried++) {
      const caller = callers[cursor];
      cursor = (cursor + 1) % callers.length;
      if (!caller.busy) return caller;
    }
    return null;
  };
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

async function openPhase(label: string, child: Child, callers: Caller[], rate: number, tallyOf: (t: HopTally) => void): Promise<Phase> {
  const tally = new HopTally();
  tallyOf(tally);
  const next = roundRobin(callers);
  const { result, serverCpu, generatorCpu, otherCpu } = await measured(child, () => pacedOpenLoop({ port: child.port, rate, seconds: OPEN_SECONDS, next }));
  for (const c of callers) if (c.busy) c.hangUp(); // answers that never came
  console.log(
    `${label} @ ${fmt.int(rate)}/s: achieved ${fmt.int(result.achievedRate)}/s, p50 ${fmt.ms(result.p50)} ms, p99 ${fmt.ms(result.p99)} ms, ` +
      `max ${fmt.ms(result.max)} ms, errors ${result.errors}, unexpected screens ${tally.unexpected}, sender lag p99 ${fmt.ms(result.senderLagP99)} ms, ` +
      `skipped ${result.skipped}; CPU server ${serverCpu.toFixed(2)} / generator ${generatorCpu.toFixed(2)} / other processes ${otherCpu.toFixed(2)} cores`,
  );
  reportErrors(child, tally);
  return { label: `${label} @ ${fmt.int(rate)}/s`, open: result, tally, serverCpu, generatorCpu, otherCpu };
}

async function main(): Promise<void> {
  const command = process.env.npm_lifecycle_event
    ? `npm run ${process.env.npm_lifecycle_event}${args.length ? ` -- ${args.join(" ")}` : ""}`
    : `npx tsx bench/ussd-http.ts ${args.join(" ")}`.trim();
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
      args: [...(CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), "bin/ansinh.mjs", "serve", "--no-demo"],
      env: { DATABASE_URL: databaseUrl, ANSINH_SECRET: secretText, LOG_LEVEL: "warn", DEMO_DATA: "off" },
      port: await freePort(),
    });
    children.push(service);
    const rssIdle = rssMiB(service.pid);
    console.log(`service: pid ${service.pid}, port ${service.port}, RSS idle ${rssIdle.toFixed(0)} MiB${CPU_PROF ? " (profiling: figures are lower than without --cpu-prof)" : ""}`);

    let serviceTally = new HopTally();
    const words = screenWords(readLocaleResources(LOCALES_DIR), toUssdText);
    const ansinhCallers = Array.from({ length: CALLERS }, (_, i) => new AnsinhCaller(i, callerMsisdn(i), serviceTally, words));
    const setServiceTally = (t: HopTally) => {
      serviceTally = t;
      for (const c of ansinhCallers) c.tally = t;
    };
    const serviceClosed = await closedPhase("AnSinh closed loop", service, ansinhCallers, setServiceTally);
    const serviceOpen: Phase[] = [];
    for (const rate of OPEN_RATES) {
      await sleep(PAUSE_MS);
      serviceOpen.push(await openPhase("AnSinh open loop", service, ansinhCallers, rate, setServiceTally));
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

    // ---- Baseline: Express + ussd-menu-builder, six levels, no database.
    await sleep(PAUSE_MS);
    const baseline = await startChild({
      name: "express + ussd-menu-builder",
      cwd: ROOT,
      args: ["--import", "tsx", "bench/servers/ussd-menu-builder-server.ts"],
      env: {},
      port: await freePort(),
    });
    children.push(baseline);
    let baselineTally = new HopTally();
    const sixLevelCallers = Array.from({ length: CALLERS }, (_, i) => new SixLevelCaller(i, callerMsisdn(i), baselineTally));
    const setBaselineTally = (t: HopTally) => {
      baselineTally = t;
      for (const c of sixLevelCallers) c.tally = t;
    };
    const baselineClosed = await closedPhase("Express + ussd-menu-builder closed loop", baseline, sixLevelCallers, setBaselineTally);
    await sleep(PAUSE_MS);
    const baselineOpen = await openPhase("Express + ussd-menu-builder open loop", baseline, sixLevelCallers, BASELINE_OPEN_RATE, setBaselineTally);
    await baseline.stop();

    // ---- Ceiling: the same client against a server that does nothing.
    await sleep(PAUSE_MS);
    const hello = await startChild({ name: "express hello", cwd: ROOT, args: ["--import", "tsx", "bench/servers/hello-server.ts"], env: {}, port: await freePort() });
    children.push(hello);
    const helloCallers = Array.from({ length: CALLERS }, (_, i) => new SixLevelCaller(i, callerMsisdn(i), new HopTally(), false));
    const helloClosed = await closedPhase("Express hello closed loop", hello, helloCallers, (t) => {
      for (const c of helloCallers) c.tally = t;
    });
    await hello.stop();

    // ---- Summary.
    const errorsOf = (p: Phase) => (p.closed?.transportErrors ?? 0) + p.tally.errors + (p.open ? Math.max(0, p.open.errors - p.tally.errors) : 0);
    const closedRows = [serviceClosed, baselineClosed, helloClosed].map((p) => [
      p.label.replace(" closed loop", ""),
      fmt.int(p.closed!.hopsPerSecond),
      fmt.ms(p.closed!.p50),
      fmt.ms(p.closed!.p99),
      errorsOf(p),
      p.tally.unexpected,
      `${p.serverCpu.toFixed(2)} / ${p.generatorCpu.toFixed(2)} / ${p.otherCpu.toFixed(2)}`,
    ]);
    const share = serviceClosed.closed!.hopsPerSecond / baselineClosed.closed!.hopsPerSecond;
    const openRows = [...serviceOpen, baselineOpen].map((p) => [
      p.label.replace(" open loop", ""),
      fmt.int(p.open!.achievedRate),
      fmt.ms(p.open!.p50),
      fmt.ms(p.open!.p99),
      fmt.ms(p.open!.max),
      errorsOf(p),
      fmt.ms(p.open!.senderLagP99),
      `${p.serverCpu.toFixed(2)} / ${p.generatorCpu.toFixed(2)} / ${p.otherCpu.toFixed(2)}`,
    ]);
    console.log("");
    console.log(`Closed loop: autocannon, ${CONNECTIONS} connections, ${CLOSED_SECONDS} s after a ${WARMUP_SECONDS} s warm-up (load generator on the same ${os.cpus().length} cores)`);
    console.log(table(["server", "hops/s", "p50 ms", "p99 ms", "errors", "unexpected", "CPU server / generator / other"], closedRows));
    console.log(`AnSinh closed-loop throughput = ${fmt.pct(share)} of Express + ussd-menu-builder's (target ≥ 3,000 hops/s)`);
    console.log("");
    console.log(`Open loop: evenly paced sends, ${OPEN_SECONDS} s per rate, round-robin over ${fmt.int(CALLERS)} callers (load generator on the same cores)`);
    console.log(table(["server @ offered rate", "achieved/s", "p50 ms", "p99 ms", "max ms", "errors", "sender lag p99 ms", "CPU server / generator / other"], openRows));
    console.log(`AnSinh service RSS: ${rssIdle.toFixed(0)} MiB idle, ${rssAfter.toFixed(0)} MiB after the open loop (${fmt.int(CALLERS)} sessions touched)`);
    console.log(
      `AnSinh session mix: ${fmt.int(serviceClosed.tally.dials)} dials in the closed loop, ${fmt.int(serviceClosed.tally.resumeOffers)} of them offered to resume a dropped dial`,
    );

    Object.assign(results, {
      config: { callers: CALLERS, connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, closedSeconds: CLOSED_SECONDS, openSeconds: OPEN_SECONDS, openRates: OPEN_RATES },
      import: loaded,
      phases: [serviceClosed, ...serviceOpen, baselineClosed, baselineOpen, helloClosed],
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

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(1);
  },
);
