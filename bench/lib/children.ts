import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { sleep } from "./machine.ts";

/**
 * Servers under test run as child processes, so their CPU and memory are their own and the
 * figures are not mixed with the load generator's. Every child started here is killed when the
 * bench ends, however it ends (normal exit, exception, Ctrl-C).
 */
export interface Child {
  name: string;
  pid: number;
  port: number;
  process: ChildProcess;
  /** The last lines the child wrote to stderr: shown when it fails. */
  stderrTail(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  running.clear();
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** A port nobody listens on right now (on 127.0.0.1 only). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function getStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

/**
 * Starts `node <args>` with the given environment and waits (at most `readyTimeoutMs`) until
 * GET <healthPath> answers 200.
 */
export async function startChild(options: {
  name: string;
  args: string[];
  env: Record<string, string>;
  port: number;
  healthPath?: string;
  readyTimeoutMs?: number;
  cwd?: string;
}): Promise<Child> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  let tail = "";
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.once("exit", () => running.delete(child));

  const handle: Child = {
    name: options.name,
    pid: child.pid!,
    port: options.port,
    process: child,
    stderrTail: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      // The service finishes requests in flight and closes its database; do not wait forever.
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail}`);
    }
    if ((await getStatus(options.port, options.healthPath ?? "/healthz")) === 200) return handle;
    await sleep(100);
  }
  await handle.stop();
  throw new Error(`${options.name} was not ready within ${options.readyTimeoutMs ?? 60_000} ms:\n${tail}`);
}

/** Resident memory of a process in MiB, from /proc/<pid>/status (Linux). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kib / 1024;
}

/** CPU seconds (user + system) the process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may contain spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticksPerSecond = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU seconds the whole machine has spent busy so far (all cores), from /proc/stat: shows work by processes outside the bench. */
export function machineBusySeconds(): number {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]; // "cpu  user nice system idle iowait irq softirq steal ..."
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}
