import type http from "node:http";

/** How often a closing server looks for kept-alive connections that have become idle. */
const SWEEP_MS = 100;

/**
 * Stops accepting connections, lets the requests in flight finish, and closes every kept-alive
 * connection as soon as it has no request in hand; resolves when the last one is gone. Node closes
 * the connections idle at the moment of close() but not those that become idle afterwards, which
 * would keep a client sending to an instance on its way out.
 */
export function closeHttpServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_MS);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
