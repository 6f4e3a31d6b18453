/**
 * What one conversation step costs against how deep the person is in the menu: AnSinh's engine
 * (the session names the node, nothing is replayed) beside ussd-menu-builder (which follows the
 * whole `text` path from the start state on every request) and grammY's conversations plugin
 * (which replays the conversation function with every earlier update), on the same six-level
 * menu, in one process, without HTTP or a database.
 *
 *   npm run bench:engine              (= tsx bench/engine-depth.ts)
 *   npm run bench:engine -- --quick   fewer iterations, to check the bench itself works
 *
 * Depth d: the person has answered d-1 menus and the measured call carries the d-th input:
 *   - "deeper": "1", which leads one level deeper (at depth 6 it ends the conversation);
 *   - "re-render": "9", not a choice, so the same level is shown again with a hint.
 * Each call is timed in wall time and in CPU time of this process: grammY's plugin waits for a
 * 0 ms timer (at least 1 ms in Node) before it lets a suspended conversation go, which is
 * latency but not work.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkFlows } from "../src/engine/checkFlows.ts";
import { ENGINE_KEYS, Engine } from "../src/engine/engine.ts";
import { loadFlows } from "../src/engine/loadFlows.ts";
import type { SessionState } from "../src/engine/session.ts";
import type { Conversation } from "../src/engine/types.ts";
import { createTranslator, NAMESPACE } from "../src/i18n/translator.ts";
import { grammyConversationAtDepth } from "./lib/grammyConversation.ts";
import { describeMachine, fmt, median, runBench, table } from "./lib/machine.ts";
import { buildSixLevelMenu, SIX_LEVELS, type SessionMap } from "./lib/sixLevelMenu.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FLOWS_DIR = path.join(HERE, "fixtures/six-level-flows");
const LOCALES_DIR = path.join(HERE, "fixtures/six-level-locales");
const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const DEPTHS = [1, 3, 6];
const INPUTS = [
  { name: "deeper", text: "1" },
  { name: "re-render", text: "9" },
] as const;
const ITERATIONS = QUICK ? 2_000 : 20_000; // calls per run; grammY gets a tenth (each update there costs ~1 ms of waiting)
const RUNS = QUICK ? 3 : 7; // rounds after the warm-up; the median block is reported
const TIME_LIMIT_MS = 30_000; // per case: after three rounds, no new round starts once all cases had this long

type Call = () => Promise<unknown>;
interface Timing {
  wallUs: number;
  cpuUs: number;
}

/** One thing to time: a call at one depth for one contender, and how many calls make a block. */
interface Case {
  contender: "engine" | "menuBuilder" | "grammy";
  input: (typeof INPUTS)[number]["name"];
  depth: number;
  call: Call;
  iterations: number;
  wall: number[];
  cpu: number[];
}

/**
 * Runs a block of calls per case, round after round, so that a slow spell of a shared machine
 * falls on every case alike rather than on whichever happened to run then; one warm-up round is
 * discarded. One call at a time, as one request is handled. Reports the median block.
 */
async function timeInterleaved(cases: Case[]): Promise<void> {
  const started = performance.now();
  for (let round = 0; round <= RUNS && (round <= 2 || performance.now() - started < TIME_LIMIT_MS * cases.length); round++) {
    for (const c of cases) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < c.iterations; i++) await c.call();
      const wall = ((performance.now() - t0) * 1000) / c.iterations;
      const used = process.cpuUsage(cpu0);
      if (round === 0) continue; // warm-up: JIT and caches
      c.wall.push(wall);
      c.cpu.push((used.user + used.system) / c.iterations);
    }
  }
}

const timing = (c: Case): Timing => ({ wallUs: median(c.wall), cpuUs: median(c.cpu) });

// ---- AnSinh's engine on the six-level flows.
function sixLevelEngine(): Engine {
  const { translate, locales, i18n } = createTranslator(LOCALES_DIR);
  const flows = loadFlows(FLOWS_DIR);
  const problems = checkFlows({
    flows,
    actionNames: [],
    validatorNames: [],
    hasKey: (locale, key) => typeof i18n.getResource(locale, NAMESPACE, key) === "string",
    locales,
    extraKeys: [...ENGINE_KEYS],
  });
  if (problems.length) throw new Error(`bench flows are invalid:\n${problems.join("\n")}`);
  return new Engine({ flows, actions: {}, validators: {}, translate, locales, defaultLocale: "vi" });
}

async function engineAtDepth(engine: Engine, depth: number, input: string): Promise<Call> {
  const conversation: Conversation = { channel: "ussd", userId: "+84912000000", phone: "+84912000000" };
  let session: SessionState = (await engine.step(null, { kind: "start" }, conversation)).session;
  for (let d = 1; d < depth; d++) session = (await engine.step(session, { kind: "input", text: "1" }, conversation)).session;
  if (session.node !== `level${depth}` || session.history.length !== depth - 1) throw new Error(`engine is not at depth ${depth}: ${session.node}`);
  const check = await engine.step(session, { kind: "input", text: input }, conversation);
  const expected = input !== "1" ? `level${depth}` : depth < SIX_LEVELS ? `level${depth + 1}` : "done";
  if (check.session.node !== expected) throw new Error(`engine at depth ${depth} went to ${check.session.node}, not ${expected}`);
  // step() copies the session it is given, so the same session can be stepped from again and again.
  return () => engine.step(session, { kind: "input", text: input }, conversation);
}

// ---- ussd-menu-builder on the same menu, sessions in a Map through its session hooks.
async function menuBuilderAtDepth(depth: number, input: string): Promise<Call> {
  const sessions: SessionMap = new Map();
  const menu = buildSixLevelMenu(sessions);
  menu.on("error", (error: Error) => {
    throw error;
  });
  const text = [...Array(depth - 1).fill("1"), input].join("*");
  const request = { sessionId: `ATUid_depth_${depth}`, serviceCode: "*384*123#", phoneNumber: "+84912000000", text };
  const check = await menu.run(request);
  // An input that matches no link shows the same state again (the library's default).
  const expected = input !== "1" ? `CON Muc ${depth}/` : depth < SIX_LEVELS ? `CON Muc ${depth + 1}/` : "END ";
  if (!check.startsWith(expected)) throw new Error(`ussd-menu-builder at depth ${depth} answered "${check.slice(0, 30)}"`);
  return () => menu.run(request);
}

async function main(): Promise<void> {
  const command = process.env.npm_lifecycle_event
    ? `npm run ${process.env.npm_lifecycle_event}${args.length ? ` -- ${args.join(" ")}` : ""}`
    : `npx tsx bench/engine-depth.ts ${args.join(" ")}`.trim();
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: ${command}`);
  console.log(`date: ${new Date().toISOString()}, load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(
    `method: blocks of ${fmt.int(ITERATIONS)} sequential calls (grammY ${fmt.int(ITERATIONS / 10)}), every case in turn, ${RUNS} rounds after a warm-up round, ` +
      `median block reported; one process, no HTTP, no database`,
  );

  const engine = sixLevelEngine();
  const cases: Case[] = [];
  for (const input of INPUTS) {
    for (const depth of DEPTHS) {
      const add = (contender: Case["contender"], call: Call, iterations: number) =>
        cases.push({ contender, input: input.name, depth, call, iterations, wall: [], cpu: [] });
      add("engine", await engineAtDepth(engine, depth, input.text), ITERATIONS);
      add("menuBuilder", await menuBuilderAtDepth(depth, input.text), ITERATIONS);
      // grammY makes each update wait for a timer (≥ 1 ms): a tenth of the calls keeps its blocks about as long.
      add("grammy", await grammyConversationAtDepth(depth, input.text), Math.ceil(ITERATIONS / 10));
    }
  }
  await timeInterleaved(cases);
  const results: Record<string, Record<string, Record<number, Timing>>> = {};
  for (const c of cases) ((results[c.input] ??= {})[c.contender] ??= {})[c.depth] = timing(c);

  for (const input of INPUTS) {
    const r = results[input.name];
    console.log("");
    console.log(`Input "${input.text}" (${input.name}), µs per call: wall (CPU)`);
    console.log(
      table(
        ["depth", "AnSinh engine", "ussd-menu-builder", "menu-builder / engine", "grammY conversations"],
        DEPTHS.map((d) => [
          d,
          `${fmt.ms(r.engine[d].wallUs)} (${fmt.ms(r.engine[d].cpuUs)})`,
          `${fmt.ms(r.menuBuilder[d].wallUs)} (${fmt.ms(r.menuBuilder[d].cpuUs)})`,
          (r.menuBuilder[d].wallUs / r.engine[d].wallUs).toFixed(2),
          `${fmt.ms(r.grammy[d].wallUs)} (${fmt.ms(r.grammy[d].cpuUs)})`,
        ]),
      ),
    );
    const growth = (f: Record<number, Timing>, k: keyof Timing) => (f[6][k] / f[1][k]).toFixed(2);
    console.log(
      `depth 6 / depth 1 (CPU): AnSinh engine ×${growth(r.engine, "cpuUs")}, ussd-menu-builder ×${growth(r.menuBuilder, "cpuUs")}, ` +
        `grammY conversations ×${growth(r.grammy, "cpuUs")}`,
    );
  }
}

runBench(main);
