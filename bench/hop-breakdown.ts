/**
 * Where a USSD hop's time goes, without HTTP: the service's own objects (createServices) on a
 * fresh database of 10,000 beneficiaries, driven by the same simulated callers as
 * bench/ussd-http.ts, one hop at a time through UssdChannel.handleGatewayBody. The parts of the
 * hop are timed by wrapping their methods in this process only (nothing in src/ changes).
 *
 *   npx tsx bench/hop-breakdown.ts                          (30,000 hops after 5,000 warm-up hops)
 *   npx tsx bench/hop-breakdown.ts --no-wal-autocheckpoint  the same with SQLite's automatic WAL
 *                                                          checkpoints off on the service's connection
 */
import { inProcessService, printRunHeader } from "./lib/inProcessService.ts";
import { africasTalking } from "../src/channels/ussd/gateways/africasTalking.ts";
import { toFeaturePhoneText } from "../src/shared/featurePhoneText.ts";
import { ConversationService } from "../src/domain/conversationService.ts";
import { EffectWriter } from "../src/domain/effectWriter.ts";
import { SessionStore } from "../src/domain/store/sessionStore.ts";
import { Engine } from "../src/engine/engine.ts";
import { readLocaleResources } from "../src/i18n/translator.ts";
import { LOCALES_DIR } from "../src/shared/projectPaths.ts";
import { AnsinhCaller, HopTally, screenWords } from "./lib/callers.ts";
import { fmt, percentile, runBench, sorted, table } from "./lib/machine.ts";
import { callerMsisdn } from "./lib/paymentList.ts";

const args = process.argv.slice(2);
const NO_AUTOCHECKPOINT = args.includes("--no-wal-autocheckpoint");
const CALLERS = 10_000;
const WARMUP_HOPS = 5_000;
const HOPS = 30_000;
const MAX_SECONDS = 300; // stop early rather than run on for ever on a very slow machine

/** Durations (ms) of every call of each wrapped method, while `recording`. */
const samples = new Map<string, number[]>();
let recording = false;

/** Replaces `proto[name]` with a version that times each call (sync or async) under `label`. */
function timeMethod(proto: object, name: string, label: string): void {
  const target = proto as Record<string, (...a: unknown[]) => unknown>;
  const original = target[name];
  if (typeof original !== "function") throw new Error(`${label}: no method ${name}`);
  samples.set(label, []);
  target[name] = function (this: unknown, ...a: unknown[]) {
    const started = performance.now();
    const record = () => {
      if (recording) samples.get(label)!.push(performance.now() - started);
    };
    const result = original.apply(this, a);
    if (result instanceof Promise) return result.finally(record);
    record();
    return result;
  };
}

async function main(): Promise<void> {
  printRunHeader("bench/hop-breakdown.ts", args);
  const { services, cleanup } = await inProcessService(CALLERS);
  try {
    if (NO_AUTOCHECKPOINT) services.db.sqlite!.pragma("wal_autocheckpoint = 0");

    timeMethod(SessionStore.prototype, "get", "SessionStore.get (SELECT + JSON.parse)");
    timeMethod(Engine.prototype, "step", "Engine.step");
    timeMethod(ConversationService.prototype, "save", "ConversationService.save (write transaction)");
    timeMethod(SessionStore.prototype, "put", "  SessionStore.put (JSON.stringify + upsert)");
    timeMethod(SessionStore.prototype, "log", "  SessionStore.log (MessageLog insert)");
    timeMethod(EffectWriter.prototype, "apply", "  EffectWriter.apply");

    const tally = new HopTally();
    const words = screenWords(readLocaleResources(LOCALES_DIR), toFeaturePhoneText);
    const callers = Array.from({ length: CALLERS }, (_, i) => new AnsinhCaller(i, callerMsisdn(i), tally, words));
    const hops: number[] = [];
    let cursor = 0;
    const deadline = performance.now() + MAX_SECONDS * 1000;
    // Round-robin over the callers, as the open loop does, one hop at a time.
    for (let n = 0; n < WARMUP_HOPS + HOPS && performance.now() < deadline; n++) {
      recording = n >= WARMUP_HOPS;
      const caller = callers[cursor];
      cursor = (cursor + 1) % callers.length;
      const body = Object.fromEntries(new URLSearchParams(caller.nextBody()));
      const started = performance.now();
      const answer = await services.ussd.handleGatewayBody(africasTalking, body);
      if (recording) hops.push(performance.now() - started);
      caller.answer(answer.status, answer.body);
    }
    await services.close();

    const us = (ms: number) => fmt.int(ms * 1000);
    const row = (label: string, xs: number[]) => {
      const s = sorted(xs);
      const perHop = xs.reduce((a, b) => a + b, 0) / Math.max(1, hops.length);
      return [label, us(perHop), us(percentile(s, 50)), us(percentile(s, 99)), us(percentile(s, 99.9)), us(s[s.length - 1] ?? Number.NaN), xs.filter((x) => x > 5).length];
    };
    console.log(
      `${fmt.int(hops.length)} hops (after ${fmt.int(WARMUP_HOPS)} warm-up), errors ${tally.errors}, unexpected screens ${tally.unexpected}; ` +
        `WAL autocheckpoint ${NO_AUTOCHECKPOINT ? "off" : "on (SQLite's default)"}`,
    );
    console.log(
      table(
        ["part (µs)", "per hop", "p50", "p99", "p99.9", "max", "calls > 5 ms"],
        [row("whole hop (handleGatewayBody)", hops), ...[...samples].map(([label, xs]) => row(label, xs))],
      ),
    );
  } finally {
    cleanup();
  }
}

runBench(main);
