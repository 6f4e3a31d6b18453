import autocannon from "autocannon";
import type { Caller } from "./callers.ts";
import { percentile, sorted } from "./machine.ts";

/**
 * Closed loop: autocannon keeps `connections` requests in flight, each connection sending its next
 * request as soon as the previous one is answered. This measures throughput (how many hops per
 * second the service completes when never idle), not the latency a gateway would see at a given
 * arrival rate (see pacedSender.ts for that).
 */
export interface ClosedLoopResult {
  seconds: number;
  requests: number;
  hopsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Connection errors and timeouts as autocannon counts them (bad answers are the callers' tally). */
  transportErrors: number;
  /** Every answered request's latency (ms), sorted: for merging runs against several instances. */
  latencies: Float64Array;
}

/**
 * autocannon resets a connection's context (here: its caller) each time the connection reaches the
 * end of its `requests` list. A longer list means fewer resets but costs autocannon seconds of
 * setup inside the measured duration (50,000 entries added ~6 s), so the list is 1,000 long. A
 * reset leaves that caller's dial unfinished, like a dropped call; the pool is refilled after each
 * run, so at most a few hundred of the 10,000 callers sit out the rest of a run.
 */
const REQUESTS_PER_CONTEXT = 1_000;

interface Context {
  caller?: Caller;
  sentAt?: number;
}

/**
 * Runs autocannon against POST /ussd on 127.0.0.1:`port`. Each connection plays one caller's dial
 * after another: `take` hands it a caller nobody else is using, `give` takes it back after the dial.
 */
export async function closedLoop(options: {
  port: number;
  connections: number;
  seconds: number;
  take: () => Caller;
  give: (caller: Caller) => void;
}): Promise<ClosedLoopResult> {
  const latencies: number[] = [];
  const request = {
    method: "POST" as const,
    path: "/ussd",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    setupRequest(req: autocannon.Request, context: Context) {
      if (context.caller?.betweenDials) options.give(context.caller);
      if (!context.caller || context.caller.betweenDials) context.caller = options.take();
      const body = context.caller.nextBody();
      // setupRequest runs just before autocannon writes the request, so this times the hop.
      context.sentAt = performance.now();
      return { ...req, body };
    },
    onResponse(status: number, body: string, context: Context) {
      if (context.sentAt !== undefined && latencies.length < 10_000_000) latencies.push(performance.now() - context.sentAt);
      context.caller?.answer(status, body);
    },
  };
  const requests = Array.from({ length: REQUESTS_PER_CONTEXT }, () => request);
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    pipelining: 1,
    duration: options.seconds,
    timeout: 10,
    requests: requests as unknown as autocannon.Request[],
  });
  const s = sorted(latencies);
  return {
    latencies: s,
    seconds: result.duration,
    requests: result.requests.total,
    hopsPerSecond: result.requests.total / result.duration,
    p50: percentile(s, 50),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : Number.NaN,
    transportErrors: result.errors + result.timeouts,
  };
}
