import express, { type Request, type Response } from "express";
import type { VoiceConfig } from "../config.ts";
import { parseStringeeAnswer, parseStringeeEvent } from "../channels/voice/stringee/parseStringeeRequest.ts";
import { renderScco } from "../channels/voice/stringee/renderScco.ts";
import { parseTwilioRequest, twilioParams } from "../channels/voice/twilio/parseTwilioRequest.ts";
import { renderTwiml } from "../channels/voice/twilio/renderTwiml.ts";
import { verifyTwilioSignature } from "../channels/voice/twilio/twilioSignature.ts";
import { secretMatches } from "../channels/chat/secretMatches.ts";
import type { VoiceChannel } from "../channels/voice/voiceChannel.ts";
import type { VoiceAnswer } from "../channels/voice/voiceScreen.ts";
import type { VoiceOutbound } from "../channels/voice/voiceOutbound.ts";
import { STRINGEE_REMINDER_PATH, STRINGEE_STATUS_PATH, stringeeOutcome } from "../channels/voice/stringee/placeStringeeCall.ts";
import { stringeeCallEvent } from "../channels/voice/stringee/parseStringeeRequest.ts";
import type { CallOutcome } from "../domain/voiceCalls/voiceCallRecords.ts";
import { TWILIO_REMINDER_PATH, TWILIO_STATUS_PATH, twilioOutcome } from "../channels/voice/twilio/placeTwilioCall.ts";
import { log } from "../shared/log.ts";
import { audioDirOf } from "../channels/voice/voiceRecordings.ts";
import { logRequestFailure } from "./logRequestFailure.ts";

const TWILIO_PATH = "/voice/twilio";
const STRINGEE_PATH = "/voice/stringee";
const AUDIO_PATH = "/voice/audio";

/**
 * The voice providers' callbacks (each answered with the call's next instructions) and the
 * recorded prompts they play. A provider is on when its secret is configured; a request that
 * does not carry it (Twilio's signature, Stringee's secret in the URL) is refused with 403
 * before anything is read or stored.
 */
export function voiceRouter(voice: VoiceChannel, outbound: VoiceOutbound | null, config: VoiceConfig, publicUrl: string | null): express.Router {
  const router = express.Router();
  const base = (req: Request) => publicUrl ?? `${req.protocol}://${req.get("host")}`;
  const queryOf = (req: Request) => new URLSearchParams(req.originalUrl.split("?")[1] ?? "");
  router.use(AUDIO_PATH, express.static(audioDirOf(config), { index: false, fallthrough: false, maxAge: "1h" }));

  const token = config.twilioAuthToken;
  if (token) {
    router.post(TWILIO_PATH, async (req, res) => {
      const params = twilioParams(req.body);
      if (!params) return refuse(res, 400, "twilio", "malformed body");
      if (!verifyTwilioSignature(token, base(req) + req.originalUrl, params, req.get("x-twilio-signature"))) return refuse(res, 403, "twilio", "bad signature");
      const hop = parseTwilioRequest(params, queryOf(req));
      if (!hop) return refuse(res, 400, "twilio", "CallSid or From missing");
      await answer(res, "twilio", () => voice.answer(hop), (a) => ({ type: "text/xml", body: renderTwiml(a, TWILIO_PATH, base(req) + AUDIO_PATH) }));
    });
  }

  // Reminder calls the service placed: a key pressed (1: hear again), and how the call ended.
  if (token && outbound) {
    const signed = (req: Request, res: Response): Record<string, string> | null => {
      const params = twilioParams(req.body);
      if (!params?.CallSid) {
        refuse(res, 400, "twilio", "CallSid missing");
        return null;
      }
      if (!verifyTwilioSignature(token, base(req) + req.originalUrl, params, req.get("x-twilio-signature"))) {
        refuse(res, 403, "twilio", "bad signature");
        return null;
      }
      return params;
    };
    router.post(TWILIO_REMINDER_PATH, async (req, res) => {
      const params = signed(req, res);
      if (!params) return;
      await answer(res, "twilio", () => outbound.replay(params.CallSid, params.Digits || null), (a) => ({ type: "text/xml", body: renderTwiml(a, base(req) + TWILIO_REMINDER_PATH, base(req) + AUDIO_PATH) }));
    });
    router.post(TWILIO_STATUS_PATH, async (req, res) => {
      const params = signed(req, res);
      if (!params) return;
      await recordEnd(res, "twilio", outbound, params.CallSid, twilioOutcome(params.CallStatus ?? ""));
    });
  }

  const secret = config.stringeeSecret;
  if (secret) {
    const eventUrl = (req: Request) => (query: string) => `${base(req)}${STRINGEE_PATH}?secret=${encodeURIComponent(secret)}&${query}`;
    const authentic = (req: Request) => secretMatches(String(req.query.secret ?? ""), secret);
    const scco = (req: Request) => (a: Parameters<typeof renderScco>[0]) => ({ type: "application/json", body: JSON.stringify(renderScco(a, eventUrl(req), base(req) + AUDIO_PATH)) });
    router.get(STRINGEE_PATH, async (req, res) => {
      if (!authentic(req)) return refuse(res, 403, "stringee", "bad secret");
      const hop = parseStringeeAnswer(queryOf(req));
      if (!hop) return refuse(res, 400, "stringee", "from or uuid missing");
      await answer(res, "stringee", () => voice.answer(hop), scco(req));
    });
    if (outbound) {
      // Reminder calls the service placed through Stringee: a key pressed (1: hear again), and the call's end.
      router.post(STRINGEE_REMINDER_PATH, async (req, res) => {
        if (!authentic(req)) return refuse(res, 403, "stringee", "bad secret");
        const event = stringeeCallEvent(req.body);
        if (!event) return refuse(res, 400, "stringee", "call_id missing");
        await answer(res, "stringee", () => outbound.replay(event.callId, event.dtmf || null), scco(req));
      });
      router.post(STRINGEE_STATUS_PATH, async (req, res) => {
        if (!authentic(req)) return refuse(res, 403, "stringee", "bad secret");
        const event = stringeeCallEvent(req.body);
        if (!event) return refuse(res, 400, "stringee", "call_id missing");
        await recordEnd(res, "stringee", outbound, event.callId, stringeeOutcome(event));
      });
    }
    router.post(STRINGEE_PATH, async (req, res) => {
      if (!authentic(req)) return refuse(res, 403, "stringee", "bad secret");
      const hop = parseStringeeEvent(req.body, queryOf(req));
      if (!hop) return refuse(res, 400, "stringee", "not an event of a call in progress");
      await answer(res, "stringee", () => voice.answer(hop), scco(req));
    });
  }
  return router;
}

async function answer(res: Response, provider: string, step: () => Promise<VoiceAnswer>, format: (a: VoiceAnswer) => { type: string; body: string }): Promise<void> {
  try {
    const { type, body } = format(await step());
    res.status(200).type(type).set("cache-control", "no-store").send(body);
  } catch (error) {
    // Nothing of this hop was stored (one transaction); the provider ends the call with its own message.
    logRequestFailure("voice request", error, { provider });
    res.status(503).type("text/plain").send("Service unavailable");
  }
}

/** A reminder call ended: its outcome recorded (and its retry or SMS queued); 204, or 503 so the provider reports again. */
async function recordEnd(res: Response, provider: string, outbound: VoiceOutbound, callId: string, outcome: CallOutcome | null): Promise<void> {
  try {
    if (outcome) await outbound.ended(callId, outcome);
    res.status(204).end();
  } catch (error) {
    logRequestFailure("voice call status", error, { provider });
    res.status(503).type("text/plain").send("Service unavailable");
  }
}

function refuse(res: Response, status: number, provider: string, reason: string): void {
  log.warn("rejected voice request", { provider, status, reason });
  res.status(status).type("text/plain").send(status === 403 ? "Forbidden" : `Bad request: ${reason}`);
}
