/**
 * Voice calls over HTTP: Twilio's callbacks (signed form posts to POST /voice/twilio) into the
 * real service (createServices + createHttpServer, in this process) on a fresh SQLite database of
 * 10,000 beneficiaries, each caller known by the calling number.
 *
 *   npm run bench:voice                 (= tsx bench/voice.ts)
 *   npm run bench:voice -- --quick      short runs, to check the bench itself works
 *
 * Each call: answer (the main menu) → 1 (this month's payment) → 9 (again) → 0 then 0 (the main
 * menu: the first 0 waits for the second) → hang up, then the caller calls again.
 * Phases:
 *   0. warm-up (5 s, not measured): every caller through a few calls, past the personal-data notice;
 *   1. 200 calls in progress, each pressing a key a `--think` ms after the last answer (default
 *      1,000 ms, as a person listens; the callers start spread over one think time): the callback
 *      answer's latency (p50, p99) at that load;
 *   2. 200 calls in progress with no think time (a closed loop): voice turns per second.
 * The load generator runs in the same process as the service and shares the machine's 2 cores
 * with it (and with anything else running): the figures are a floor, not a capacity.
 */
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createHttpServer } from "../src/http/createHttpServer.ts";
import { loadConfig } from "../src/config.ts";
import { createServices } from "../src/services.ts";
import { loadSecret } from "../src/shared/secrets.ts";
import { fmt, percentile, printRunHeader, runBench, sorted, table } from "./lib/machine.ts";
import { callerMsisdn, loadBenchBeneficiaries } from "./lib/paymentList.ts";

const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const valueOf = (name: string) => args.flatMap((a, i) => (a === name && i + 1 < args.length ? [args[i + 1]] : []))[0];
const CALLS = Number(valueOf("--calls") ?? 200);
const THINK_MS = Number(valueOf("--think") ?? 1000);
const BENEFICIARIES = QUICK ? 1_000 : 10_000;
const SECONDS = QUICK ? 3 : 20;
const WARMUP_SECONDS = QUICK ? 1 : 5;
const TOKEN = "bench-twilio-token";
const SCRIPT = ["", "1", "9", "0", "0"];

function sign(url: string, params: Record<string, string>): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data += name + params[name];
  return createHmac("sha1", TOKEN).update(data, "utf8").digest("base64");
}

/** One caller's loop: posts the script's turns one after another (with think time between), calling again at the end. */
async function caller(index: number, baseUrl: string, agent: http.Agent, until: number, thinkMs: number, latencies: number[], errors: { n: number }): Promise<void> {
  let call = 0;
  // Calls in progress are at different points of their calls, as in a steady state: the callers
  // start spread over one think time, not all in the same instant.
  if (thinkMs) await new Promise((resolve) => setTimeout(resolve, Math.random() * thinkMs));
  while (performance.now() < until) {
    call++;
    const callSid = `CA${index.toString(16).padStart(8, "0")}${call.toString(16).padStart(24, "0")}`;
    let path = "/voice/twilio";
    for (const keys of SCRIPT) {
      if (performance.now() >= until) return;
      const params: Record<string, string> = { CallSid: callSid, AccountSid: "ACbench", From: callerMsisdn(index), To: "+842873001234", CallStatus: "in-progress", ...(keys ? { Digits: keys } : {}) };
      const url = `${baseUrl}${path}`;
      const body = new URLSearchParams(params).toString();
      const started = performance.now();
      const { status, text } = await post(url, body, sign(url, params), agent);
      latencies.push(performance.now() - started);
      const action = /<Gather [^>]*action="([^"]*)"/.exec(text)?.[1]?.replace(/&amp;/g, "&");
      if (status !== 200 || !action) {
        errors.n++;
        break;
      }
      path = action;
      if (thinkMs) await new Promise((resolve) => setTimeout(resolve, thinkMs * (0.5 + Math.random())));
    }
  }
}

function post(url: string, body: string, signature: string, agent: http.Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), "x-twilio-signature": signature } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", () => resolve({ status: 0, text: "" }));
    req.end(body);
  });
}

async function phase(label: string, baseUrl: string, thinkMs: number, seconds = SECONDS): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CALLS });
  const latencies: number[] = [];
  const errors = { n: 0 };
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(Array.from({ length: CALLS }, (_, i) => caller(i, baseUrl, agent, until, thinkMs, latencies, errors)));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const s = sorted(latencies);
  return [label, fmt.int(latencies.length), fmt.int(latencies.length / elapsed), percentile(s, 50).toFixed(1), percentile(s, 99).toFixed(1), percentile(s, 100).toFixed(1), String(errors.n)];
}

runBench(async () => {
  printRunHeader("bench/voice.ts");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-bench-voice-"));
  process.env.ANSINH_SECRET = `bench-${randomBytes(8).toString("hex")}`;
  process.env.LOG_LEVEL ??= "warn";
  const databaseUrl = `file:${path.join(dir, "ansinh.db")}`;
  try {
    await loadBenchBeneficiaries(databaseUrl, dir, BENEFICIARIES, loadSecret(dir));
    const services = await createServices({ config: { databaseUrl, voice: { ...loadConfig().voice, twilioAuthToken: TOKEN } } });
    const server = createHttpServer(services);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.log(`${fmt.int(BENEFICIARIES)} beneficiaries, ${CALLS} calls in progress, ${SECONDS} s per phase; service and load generator in one process on a shared machine`);
    // Warm-up, not measured: every caller through a few calls (past the personal-data notice, which
    // a first call meets), and the code compiled hot.
    await phase("warm-up", baseUrl, 0, WARMUP_SECONDS);
    const rows = [await phase(`${CALLS} calls, ${THINK_MS} ms think`, baseUrl, THINK_MS), await phase(`${CALLS} calls, closed loop`, baseUrl, 0)];
    console.log(table(["phase", "turns", "turns/s", "p50 ms", "p99 ms", "max ms", "errors"], rows));
    console.log("target: p99 of the callback answer < 50 ms at 200 calls in progress (the think-time phase)");
    await new Promise((resolve) => server.close(resolve));
    await services.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
