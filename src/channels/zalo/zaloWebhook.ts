import type { RequestHandler } from "express";
import { log } from "../../shared/log.ts";
import { parseZaloUpdate } from "./parseZaloUpdate.ts";
import { verifyZaloSecret } from "./verifyZaloSecret.ts";
import type { ZaloUpdate } from "./zaloTypes.ts";

const ZALO_SECRET_HEADER = "x-bot-api-secret-token";

/**
 * POST /webhooks/zalo. Checks the secret before reading anything, then the body's shape; records
 * the update (`receive` writes it to the inbound log before the answer) and answers 200 at once, so
 * Zalo does not time out and resend while the conversation runs. A resend is answered 200 too.
 */
export function zaloWebhook(options: {
  /** The secret registered with setWebhook; null when none is (every request is then refused). */
  secret: () => string | null;
  receive: (update: ZaloUpdate) => Promise<void> | void;
}): RequestHandler {
  return async (req, res, next) => {
    const check = verifyZaloSecret(req.get(ZALO_SECRET_HEADER), options.secret());
    if (check !== "ok") {
      log.warn("rejected zalo webhook: secret token", { check });
      res.status(check === "missing" ? 401 : 403).type("text/plain").send(check === "missing" ? "Missing secret token" : "Wrong secret token");
      return;
    }
    const parsed = parseZaloUpdate(req.body);
    if (!parsed.ok) {
      log.warn("rejected zalo webhook: malformed body", { reason: parsed.reason });
      res.status(400).type("text/plain").send(`Bad request: ${parsed.reason}`);
      return;
    }
    try {
      await options.receive(parsed.update);
    } catch (error) {
      // Not recorded (the database failed): a 5xx makes Zalo send it again later.
      next(error);
      return;
    }
    res.status(200).json({ ok: true });
  };
}
