import http from "node:http";
import type { Services } from "../services.ts";
import { createHttpApp } from "./createHttpApp.ts";
import { ussdEndpoint } from "./ussdEndpoint.ts";

/**
 * The service's HTTP server: USSD keypresses go straight to their endpoint (the hot path, no
 * Express); everything else (webhooks, health, the console) goes to the Express app.
 */
export function createHttpServer(services: Services): http.Server {
  const app = createHttpApp(services);
  const ussd = ussdEndpoint(services.ussd);
  return http.createServer((req, res) => {
    if (ussd.matches(req)) ussd.handle(req, res);
    else app(req, res);
  });
}
