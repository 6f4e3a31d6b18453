import type { RequestHandler } from "express";
import { log } from "../../shared/log.ts";
import type { ReceiveUpdate } from "../chat/chatChannelRuntime.ts";
import { parseAfricasTalkingInbound, type SmsInbound } from "./parseAfricasTalkingInbound.ts";
import { verifySmsCallback } from "./verifySmsCallback.ts";

/** Where Africa's Talking posts a person's message (set in its dashboard), optionally ending in /<SMS_CALLBACK_SECRET>. */
export const SMS_INBOUND_PATH = "/sms/africastalking{/:secret}";

/**
 * POST /sms/africastalking/<secret>: a person's message, as Africa's Talking posts it (a form).
 * A forged call gets 403, a malformed one 400 (logged with the reason, never the number); neither
 * is recorded. Otherwise `receive` records it (a resend is recognised by its id) and the provider
 * gets 200 at once: the answer goes back by SMS, the provider does not wait for the conversation.
 */
export function smsWebhook(callbackSecret: string | null, receive: ReceiveUpdate<SmsInbound>): RequestHandler {
  return async (req, res, next) => {
    if (!verifySmsCallback(req, callbackSecret)) {
      log.warn("SMS callback refused: wrong secret", { provider: "africastalking", kind: "inbound" });
      res.status(403).type("text/plain").send("Forbidden");
      return;
    }
    const parsed = parseAfricasTalkingInbound(req.body);
    if (!parsed.ok) {
      log.warn("incoming SMS refused: malformed", { provider: "africastalking", reason: parsed.reason });
      res.status(400).type("text/plain").send(`Bad request: ${parsed.reason}`);
      return;
    }
    try {
      await receive(parsed.message);
    } catch (error) {
      // Not recorded (the database failed): a 5xx makes Africa's Talking post it again later.
      next(error);
      return;
    }
    res.status(200).type("text/plain").send("OK");
  };
}
