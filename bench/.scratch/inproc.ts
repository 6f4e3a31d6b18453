import fs from "node:fs";
import path from "node:path";
import { createServices } from "../../src/services.ts";
import { africasTalking } from "../../src/channels/ussd/gateways/africasTalking.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { AnsinhCaller, HopTally, screenWords } from "../lib/callers.ts";
import { toUssdText } from "../../src/channels/ussd/ussdText.ts";
import { readLocaleResources } from "../../src/i18n/translator.ts";
import { LOCALES_DIR } from "../../src/services.ts";
import { callerMsisdn, loadBenchBeneficiaries } from "../lib/paymentList.ts";
import { Engine } from "../../src/engine/engine.ts";
import { SessionStore } from "../../src/domain/store/sessionStore.ts";
import { EffectWriter } from "../../src/domain/effectWriter.ts";
import * as render from "../../src/channels/ussd/renderUssd.ts";

process.env.ANSINH_SECRET = "bench"; process.env.LOG_LEVEL = "warn";
const dir = "/tmp/bench-inproc";
const url = `file:${dir}/a.db`;
if (!fs.existsSync(`${dir}/a.db`)) { fs.mkdirSync(dir, { recursive: true }); await loadBenchBeneficiaries(url, dir, 10000, loadSecret(dir)); }
const services = createServices({ config: { databaseUrl: url } });
if (process.env.NOCKPT) services.db.sql.pragma("wal_autocheckpoint = 0");
if (process.env.SYNCOFF) services.db.sql.pragma("synchronous = OFF");
const timers: Record<string, number> = {};
const samples: Record<string, number[]> = {};
function wrap(proto: any, name: string, label: string) {
  const orig = proto[name];
  proto[name] = function (...a: any[]) {
    const t = performance.now();
    const r = orig.apply(this, a);
    if (r && typeof r.then === "function") return r.then((v: any) => { timers[label] = (timers[label] ?? 0) + performance.now() - t; return v; });
    const d = performance.now() - t;
    timers[label] = (timers[label] ?? 0) + d;
    (samples[label] ??= []).push(d);
    return r;
  };
}
wrap(Engine.prototype, "step", "engine.step");
wrap(SessionStore.prototype, "get", "sessions.get (load+JSON.parse)");
wrap(SessionStore.prototype, "put", "sessions.put (JSON.stringify+upsert)");
wrap(SessionStore.prototype, "log", "sessions.log (MessageLog insert)");
wrap(EffectWriter.prototype, "apply", "effects.apply");
const conv = (services.conversations as any);
wrap(Object.getPrototypeOf(conv), "save", "save (whole transaction)");
const tally = new HopTally();
const callers = Array.from({ length: 10000 }, (_, i) => new AnsinhCaller(i, callerMsisdn(i), tally, screenWords(readLocaleResources(LOCALES_DIR), toUssdText)));
const byKind: Record<string, { n: number; t: number }> = {};
async function hop(c: AnsinhCaller) {
  const body = Object.fromEntries(new URLSearchParams(c.nextBody()));
  const kind = body.text === "" ? "dial" : `input ${body.text.split("*").length}`;
  const t = performance.now();
  const r = await services.ussd.handleGatewayBody(africasTalking, body);
  const e = (byKind[kind] ??= { n: 0, t: 0 }); e.n++; e.t += performance.now() - t;
  c.answer(r.status, r.body);
}
let cursor = 0;
const N = Number(process.argv[2] ?? 20000);
const ORDER = process.argv[3] ?? "rr"; // rr: round-robin over callers; seq: each caller plays a whole dial
if (ORDER === "seq") { const orig = hop; let cur = callers[0]; (globalThis as any).pick = () => cur; }
for (const k of Object.keys(byKind)) delete byKind[k];
for (let i = 0; i < 5000; i++) await hop(callers[(cursor++) % callers.length]);
for (const k of Object.keys(timers)) delete timers[k];
for (const k of Object.keys(byKind)) delete byKind[k];
const t0 = performance.now();
for (let i = 0; i < N; i++) await hop(callers[(cursor++) % callers.length]);
const total = performance.now() - t0;
console.log(`hops ${N}: ${(1000 * total / N).toFixed(0)} µs/hop in-process (no HTTP); ok ${tally.ok} errors ${tally.errors} unexpected ${tally.unexpected}`);
for (const [k, v] of Object.entries(byKind)) console.log(`  ${k.padEnd(12)} n=${v.n} ${(1000 * v.t / v.n).toFixed(0)} µs`);
for (const [k, v] of Object.entries(timers)) {
  const xs = (samples[k] ?? []).slice(-N).sort((a, b) => a - b);
  const q = (p: number) => xs.length ? (1000 * xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]).toFixed(0) : "-";
  const slow = xs.filter((x) => x > 5).length;
  console.log(`  ${k.padEnd(40)} ${(1000 * v / N).toFixed(0).padStart(6)} µs/hop  p50 ${q(0.5)} p99 ${q(0.99)} p99.9 ${q(0.999)} max ${q(0.99999)} µs; calls over 5 ms: ${slow}`);
}
const db = services.db.sql;
for (const t of ["MessageLog", "ConversationSession", "AuditLog", "MethodChangeRequest"]) console.log(t, (db.prepare(`select count(*) n from ${t}`).get() as any).n);
const st = db.prepare("select length(state) l from ConversationSession order by random() limit 200").all() as any[];
console.log("session JSON bytes avg", Math.round(st.reduce((a, r) => a + r.l, 0) / st.length));
console.log(db.prepare("select state from ConversationSession limit 1").get());
await services.close();
