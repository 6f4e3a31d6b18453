import autocannon from "autocannon";
import { startChild, freePort } from "../lib/children.ts";
const hello = await startChild({ name: "hello", cwd: "/work/main", args: ["--import", "tsx", "bench/servers/hello-server.ts"], env: {}, port: await freePort() });
const url = `http://127.0.0.1:${hello.port}`;
const body = "sessionId=a&serviceCode=x&phoneNumber=%2B84912000000&text=";
const run = async (label: string, opts: any) => {
  const t0 = performance.now();
  const r = await autocannon({ url, connections: 50, duration: 5, ...opts });
  console.log(label, Math.round(r.requests.total / r.duration), "req/s; wall", ((performance.now() - t0) / 1000).toFixed(1), "s; duration", r.duration, "p50", r.latency.p50, "p99", r.latency.p99);
};
await run("static", { method: "POST", path: "/ussd", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
const req = { method: "POST", path: "/ussd", headers: { "content-type": "application/x-www-form-urlencoded" }, setupRequest: (r: any) => ({ ...r, body }), onResponse: () => {} };
await run("setup x1", { requests: [req] });
await run("setup x1000", { requests: Array.from({ length: 1000 }, () => req) });
await run("setup x5000", { requests: Array.from({ length: 5000 }, () => req) });
await run("static", { method: "POST", path: "/ussd", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
await run("setup x1", { requests: [req] });
await hello.stop();
process.exit(0);
