import { log } from "../shared/log.ts";

/** Whether this instance should be sent traffic: the body of GET /readyz. */
type ReadyzBody =
  | { status: "ready"; checks: Record<string, "ok"> }
  | { status: "unavailable"; checks: Record<string, "ok" | "unavailable"> }
  | { status: "stopping" };

export interface Readiness {
  check(): Promise<ReadyzBody>;
  /** From SIGTERM on, the instance reports itself stopping so the load balancer sends no more. */
  markStopping(): void;
  readonly stopping: boolean;
  /** Calls `listener` when the instance starts stopping (long-lived responses end then); returns the way to stop listening. */
  onStopping(listener: () => void): () => void;
}

/** A dependency that answered slower than this counts as unavailable: a probe must not hang. */
const CHECK_TIMEOUT_MS = 2_000;

/**
 * Readiness for a load balancer: every dependency a request needs (the database; Redis when the
 * deployment shares its send rates there) answers. Liveness (GET /healthz) is a separate question:
 * an instance whose Redis is away is alive, and restarting it would not bring Redis back.
 */
export function createReadiness(checks: Record<string, () => Promise<unknown>>, timeoutMs = CHECK_TIMEOUT_MS): Readiness {
  let stopping = false;
  const stoppingListeners = new Set<() => void>();
  // Logged when a check changes, not at every probe: a load balancer asks every few seconds.
  const failing = new Set<string>();
  const probe = async (name: string, check: () => Promise<unknown>): Promise<"ok" | "unavailable"> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([check(), timeout]);
      if (failing.delete(name)) log.info("readiness check passes again", { check: name });
      return "ok";
    } catch (error) {
      if (!failing.has(name)) log.warn("readiness check failed", { check: name, reason: error instanceof Error ? error.message : String(error) });
      failing.add(name);
      return "unavailable";
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    get stopping() {
      return stopping;
    },
    markStopping() {
      stopping = true;
      for (const listener of stoppingListeners) {
        try {
          listener();
        } catch (error) {
          log.error("a stopping listener failed", { error });
        }
      }
      stoppingListeners.clear();
    },
    onStopping(listener) {
      if (stopping) {
        listener();
        return () => undefined;
      }
      stoppingListeners.add(listener);
      return () => stoppingListeners.delete(listener);
    },
    async check() {
      if (stopping) return { status: "stopping" };
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((name) => probe(name, checks[name])));
      const outcome = Object.fromEntries(names.map((name, i) => [name, results[i]]));
      return results.every((r) => r === "ok") ? { status: "ready", checks: outcome as Record<string, "ok"> } : { status: "unavailable", checks: outcome };
    },
  };
}
