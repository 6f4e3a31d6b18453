import express, { type Request, type Response } from "express";
import type { Sql } from "../../db/sql/sql.ts";
import { recordSmsDelivery } from "../../domain/outbox/recordSmsDelivery.ts";
import { log } from "../../shared/log.ts";
import { parseAfricasTalkingDelivery } from "./parseAfricasTalkingDelivery.ts";
import { parseEsmsDelivery } from "./parseEsmsDelivery.ts";
import type { SmsDelivery } from "../../domain/outbox/smsDelivery.ts";
import { verifySmsCallback } from "./verifySmsCallback.ts";

export interface SmsRouteDeps {
  sql: Sql;
  clock: () => Date;
  callbackSecret: string | null;
}

/**
 * The providers' delivery reports, under /sms: POST /africastalking/delivery, GET /esms/delivery,
 * each optionally ending in /<SMS_CALLBACK_SECRET>. (A person's message, POST /africastalking, is a
 * conversation update: the SMS channel's runtime takes it, see createSmsChannel.) A forged call gets 403, a
 * malformed one or one about no message of ours 400 (and a log line without the phone number);
 * neither changes anything.
 */
export function createSmsRouter(deps: SmsRouteDeps): express.Router {
  const router = express.Router();
  const delivery = (provider: string, parse: (fields: Record<string, unknown>) => SmsDelivery | null, from: "body" | "query") => async (req: Request, res: Response) => {
    if (!verifySmsCallback(req, deps.callbackSecret)) {
      log.warn("SMS callback refused: wrong secret", { provider, kind: "delivery" });
      return res.status(403).type("text/plain").send("Forbidden");
    }
    const fields = (from === "body" ? req.body : req.query) as Record<string, unknown> | undefined;
    const report = fields && typeof fields === "object" ? parse(fields) : null;
    if (!report) {
      log.warn("SMS delivery report refused: malformed", { provider });
      return res.status(400).type("text/plain").send("Bad request: not a delivery report");
    }
    const outcome = await recordSmsDelivery(deps.sql, report, deps.clock());
    if (outcome === "unknown") {
      log.warn("SMS delivery report refused: no such message", { provider, outcome: report.outcome });
      return res.status(400).type("text/plain").send("Bad request: unknown message");
    }
    res.status(200).type("text/plain").send("OK");
  };
  router.post("/africastalking/delivery{/:secret}", delivery("africastalking", parseAfricasTalkingDelivery, "body"));
  router.get("/esms/delivery{/:secret}", delivery("esms", parseEsmsDelivery, "query"));
  return router;
}
