import type { RequestHandler } from "express";
import type { Update } from "grammy/types";
import { log } from "../../shared/log.ts";
import { TELEGRAM_CHANNEL } from "./telegramApi.ts";
import { verifyTelegramSecret } from "./verifyTelegramSecret.ts";

const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";

/**
 * POST /webhooks/telegram. Without the secret anyone could post an update claiming to be any
 * Telegram user (with a "shared contact" identifying them as a beneficiary), so with no secret
 * configured every request is refused. `receive` records the update before the 200 (a resend is
 * recognised by update_id and answered 200 too); the conversation runs after the response.
 */
export function telegramWebhook(secret: string | null, receive: (update: Update) => Promise<void> | void): RequestHandler {
  return async (req, res, next) => {
    if (!secret || !verifyTelegramSecret(req.get(TELEGRAM_SECRET_HEADER), secret)) {
      log.warn("telegram webhook refused", { channel: TELEGRAM_CHANNEL, reason: secret ? "secret header missing or wrong" : "TELEGRAM_WEBHOOK_SECRET is not set" });
      res.status(401).type("text/plain").send("Unauthorized");
      return;
    }
    const problem = updateProblem(req.body);
    if (problem) {
      log.warn("telegram webhook: rejected body", { channel: TELEGRAM_CHANNEL, reason: problem });
      res.status(400).type("text/plain").send(`Bad request: ${problem}`);
      return;
    }
    try {
      await receive(req.body as Update);
    } catch (error) {
      // Not recorded (the database failed): a 5xx makes Telegram send it again later.
      next(error);
      return;
    }
    res.status(200).end();
  };
}

/** Why a body is not a Telegram update, or null when it is one. Never echoes the body (it may hold an ID number). */
function updateProblem(body: unknown): string | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return "body must be a JSON object";
  const id = (body as { update_id?: unknown }).update_id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return "update_id must be a non-negative integer";
  return null;
}
