import express, { type NextFunction, type Request, type Response } from "express";
import { log } from "../shared/log.ts";
import type { Services } from "../services.ts";
import { logRequestFailure } from "./logRequestFailure.ts";
import { createSmsRouter } from "../channels/sms/smsRoutes.ts";
import { createConsoleRouter, type ConsoleOptions } from "./console/createConsoleRouter.ts";
import { voiceRouter } from "./voiceEndpoint.ts";

const BODY_LIMIT = "32kb";

export interface HttpAppOptions {
  console?: ConsoleOptions;
}

/** Express's `trust proxy` from CONSOLE_TRUST_PROXY: "true", a number of hops, or addresses/"loopback". */
function trustProxy(value: string | null): boolean | number | string {
  if (value === null || value === "false") return false;
  if (value === "true") return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The Express part of the service: health, chat webhooks and the web console. POST /ussd is answered before Express: see createHttpServer. */
export function createHttpApp(services: Services, options: HttpAppOptions = {}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  // Behind a reverse proxy that terminates HTTPS, req.secure (the console cookie's Secure flag)
  // and req.ip (failed-login counting) come from X-Forwarded-* only when the proxy is trusted.
  app.set("trust proxy", trustProxy(services.config.console.trustProxy));
  // The console parses its own bodies (forms with many fields, e.g. a commune list), so it comes first.
  app.use("/console", createConsoleRouter(services, options.console));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }));
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));

  // Delivery reports first: /sms/africastalking/delivery must not be taken for a person's message
  // at /sms/africastalking/<secret> (the SMS channel's webhook) when no secret is configured.
  if (services.sms) app.use("/sms", createSmsRouter({ sql: services.db.sql, clock: services.clock, callbackSecret: services.config.sms.callbackSecret }));
  for (const chat of services.chatChannels) app.post(chat.webhookPath, chat.webhook);
  app.use(voiceRouter(services.voice, services.voiceOutbound, services.config.voice, services.config.publicUrl));

  // Liveness: the process works and reaches its database. A load balancer asks /readyz instead.
  app.get("/healthz", async (_req, res) => {
    try {
      await services.db.ping();
      res.json({ status: "ok" });
    } catch (error) {
      logRequestFailure("health check", error);
      res.status(503).json({ status: "unavailable" });
    }
  });

  // Readiness: whether to send this instance traffic (its dependencies answer and it is not stopping).
  app.get("/readyz", async (_req, res) => {
    const body = await services.readiness.check();
    res.status(body.status === "ready" ? 200 : 503).set("cache-control", "no-store").json(body);
  });

  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });

  // Malformed bodies (bad JSON, too large, bad encoding) are the sender's fault: a 4xx and a log
  // line, never a 500. Anything else is ours: logged, and answered as unavailable.
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 503;
    if (status < 500) log.warn("rejected request", { path: req.path, status, reason: error.type ?? error.message });
    else logRequestFailure("request", error, { path: req.path });
    if (res.headersSent) return;
    res.status(status).type("text/plain").send(status < 500 ? `Bad request: ${error.type ?? "malformed body"}` : "Service unavailable, please try again");
  });
  return app;
}
