import express, { type NextFunction, type Request, type Response } from "express";
import { log } from "../shared/log.ts";
import type { Services } from "../services.ts";

const BODY_LIMIT = "32kb";

/** The Express part of the service: chat webhooks, health, and (later) the console. POST /ussd is answered before Express: see createHttpServer. */
export function createHttpApp(services: Services): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }));
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));

  for (const chat of services.chatChannels) app.post(`/webhooks/${chat.channel}`, chat.webhook);

  app.get("/healthz", (_req, res) => {
    try {
      services.db.sql.prepare("SELECT 1").get();
      res.json({ status: "ok" });
    } catch (error) {
      log.error("health check failed", { error });
      res.status(503).json({ status: "unavailable" });
    }
  });

  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found");
  });

  // Malformed bodies (bad JSON, too large, bad encoding) are the sender's fault: a 4xx and a log
  // line, never a 500. Anything else is ours: logged, and answered as unavailable.
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 503;
    if (status < 500) log.warn("rejected request", { path: req.path, status, reason: error.type ?? error.message });
    else log.error("request failed", { path: req.path, error });
    if (res.headersSent) return;
    res.status(status).type("text/plain").send(status < 500 ? `Bad request: ${error.type ?? "malformed body"}` : "Service unavailable, please try again");
  });
  return app;
}
