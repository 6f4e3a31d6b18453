import { spawn } from "node:child_process";
import path from "node:path";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";

/** Runs `ansinh …` as a person would after `npm install`, through the package's bin script. */
export function runAnsinh(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, "bin/ansinh.mjs"), ...args], {
      cwd: options.cwd,
      env: { ...process.env, LOG_LEVEL: "warn", ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
