import { spawn, type ChildProcess } from "node:child_process";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";

/** Waits until `found` gives something truthy (checked every 20 ms); `output` is shown when it never does. */
export async function until<T>(found: () => T | null | Promise<T | null>, what: string, timeoutMs = 30_000, output: () => string = () => ""): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await found();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}\n${output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

/**
 * A real `ansinh serve --port 0 --no-demo` in `cwd` with `env` on top of this process's; resolves
 * once it logs that it serves (its log level must be info or lower), with the port it took.
 */
export async function startServeProcess(options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [`${PROJECT_ROOT}/bin/ansinh.mjs`, "serve", "--port", "0", "--no-demo"], {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: "info", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once("exit", (code) => resolve({ code, at: Date.now() })));
  let port: number;
  try {
    port = await until(
      () => Number(/"msg":"AnSinh Bot is serving"[^\n]*"port":(\d+)/.exec(output)?.[1]) || null,
      "the service to serve",
      options.timeoutMs ?? 30_000,
      () => output,
    );
  } catch (error) {
    child.kill("SIGKILL"); // never left running behind a failed test
    throw error;
  }
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => output, exited };
}
