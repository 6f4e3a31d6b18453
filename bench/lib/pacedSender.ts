import http from "node:http";
import type { Caller } from "./callers.ts";
import { percentile, sleep, sorted } from "./machine.ts";

/**
 * Open loop: requests leave at evenly spaced times whatever the service does, as calls arrive at
 * a gateway. autocannon's `overallRate` releases each second's requests in bursts, which inflates
 * p99 several times over (toolchain.md, "Measuring latency"), so this small sender paces them
 * itself: a 1 ms timer sends every request whose time has come, over a keep-alive agent.
 */
export interface OpenLoopResult {
  offeredRate: number;
  sent: number;
  answered: number;
  /** Answers per second over the sending window. */
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  /** How late the sender itself was against the even schedule (p99, ms): large values mean the generator, not the service, was starved. */
  senderLagP99: number;
  /** Times no idle caller was free to send (every caller still waiting for an answer). */
  skipped: number;
  /** Every answer's latency (ms), sorted: for merging runs against several instances. */
  latencies: Float64Array;
}

const REQUEST_TIMEOUT_MS = 10_000; // a gateway gives up after about 10 to 15 s
const DRAIN_TIMEOUT_MS = 15_000;
export const MAX_IN_FLIGHT = 5_000; // beyond this the service has fallen over; stop piling on

export async function pacedOpenLoop(options: { port: number; rate: number; seconds: number; next: () => Caller | null }): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  const lags: number[] = [];
  let sent = 0;
  let answered = 0;
  let errors = 0;
  let skipped = 0;
  let inFlight = 0;
  let lastAnswerAt = 0;

  const send = (caller: Caller) => {
    const body = caller.nextBody();
    const started = performance.now();
    inFlight++;
    let settled = false;
    const settle = (status: number | null, text: string, reason?: string) => {
      if (settled) return;
      settled = true;
      inFlight--;
      lastAnswerAt = performance.now();
      if (status === null) {
        errors++;
        caller.fail(reason ?? "no answer");
        return;
      }
      latencies.push(lastAnswerAt - started);
      answered++;
      if (status !== 200 || !(text.startsWith("CON ") || text.startsWith("END "))) errors++;
      caller.answer(status, text);
    };
    const req = http.request(
      {
        host: "127.0.0.1",
        port: options.port,
        path: "/ussd",
        method: "POST",
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => settle(res.statusCode ?? 0, text));
        res.on("error", (error) => settle(null, "", error.message));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) => settle(null, "", error.message));
    req.end(body);
  };

  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every request whose scheduled time has passed goes now; on time, that is one or two per tick.
      while (sent + skipped < total && start + (sent + skipped) * interval <= now) {
        const due = start + (sent + skipped) * interval;
        const caller = inFlight < MAX_IN_FLIGHT ? options.next() : null;
        if (!caller) {
          skipped++;
          continue;
        }
        lags.push(now - due);
        sent++;
        send(caller);
      }
      if (sent + skipped >= total || now - start > options.seconds * 1000 * 2) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendingEnded = performance.now();
  // Wait for the answers still on their way, no longer than a gateway would.
  for (let waited = 0; inFlight > 0 && waited < DRAIN_TIMEOUT_MS; waited += 20) await sleep(20);
  agent.destroy();
  const s = sorted(latencies);
  return {
    latencies: s,
    offeredRate: options.rate,
    sent,
    answered,
    achievedRate: answered / ((Math.max(lastAnswerAt, sendingEnded) - start) / 1000),
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : Number.NaN,
    errors: errors + inFlight,
    senderLagP99: percentile(sorted(lags), 99),
    skipped,
  };
}
