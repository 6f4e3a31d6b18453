import { Redis, type RedisOptions } from "ioredis";
import { log } from "./log.ts";

/**
 * A Redis connection for one user (`role`: readiness, a channel's rate limiter). ioredis
 * reconnects by itself; we log when the connection is lost and when it is back, not every failed
 * attempt, so an outage is two lines rather than one every few seconds. The URL is never logged:
 * it may hold a password.
 */
export function openRedis(url: string, role: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, options);
  let lost = false;
  client.on("error", (error: Error) => {
    if (lost) return;
    lost = true;
    log.warn("Redis unreachable; reconnecting", { role, reason: error.message });
  });
  client.on("ready", () => {
    if (!lost) return;
    lost = false;
    log.info("Redis reachable again", { role });
  });
  return client;
}
