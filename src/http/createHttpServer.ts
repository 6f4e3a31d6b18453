import http from "node:http";
import type { Services } from "../services.ts";
import { createHttpApp, type HttpAppOptions } from "./createHttpApp.ts";
import { ussdEndpoint } from "./ussdEndpoint.ts";

/**
 * The service's HTTP server: USSD keypresses go straight to their endpoint (the hot path, no
 * Express); everything else (webhooks, health, the console) goes to the Express app.
 */
export function createHttpServer(services: Services, options: HttpAppOptions = {}): http.Server {
  const app = createHttpApp(services, options);
  const ussd = ussdEndpoint(services.ussd);
  return http.createServer((req, res) => {
    // Stopping: a request still arriving on a kept-alive connection is answered, then the
    // connection closes, so the client's next request goes to an instance that is staying.
    if (services.readiness.stopping) res.setHeader("connection", "close");
    if (ussd.matches(req)) ussd.handle(req, res);
    else app(req, res);
  });
}
