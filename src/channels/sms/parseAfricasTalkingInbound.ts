import { normalizeVietnamPhone } from "../../shared/phone.ts";

/** An SMS a person sent to the service's number, as Africa's Talking posts it. */
export interface SmsInbound {
  /** Africa's Talking's id of the message: a resend carries the same one. */
  id: string;
  /** The sender, E.164. */
  from: string;
  text: string;
  /** Africa's Talking's premium-SMS link id (kept in the recorded update, not used). */
  linkId: string | null;
}

/** Longer than any SMS of a few parts: anything beyond is not a message a phone sent. */
const MAX_TEXT = 1600;

/**
 * Africa's Talking's incoming-message callback (POST, form): from, to, text, id, date, linkId.
 * The reason it is refused when it is not one (the caller answers 400 and logs the reason, never
 * the number).
 */
export function parseAfricasTalkingInbound(body: unknown): { ok: true; message: SmsInbound } | { ok: false; reason: string } {
  if (!body || typeof body !== "object") return { ok: false, reason: "no form body" };
  const fields = body as Record<string, unknown>;
  const id = typeof fields.id === "string" ? fields.id.trim() : "";
  if (!id || id.length > 100) return { ok: false, reason: "id missing" };
  if (typeof fields.from !== "string") return { ok: false, reason: "from missing" };
  const phone = normalizeVietnamPhone(fields.from);
  if (!phone.ok) return { ok: false, reason: "from is not a Vietnamese mobile number" };
  if (typeof fields.text !== "string" || fields.text.length > MAX_TEXT) return { ok: false, reason: "text missing or too long" };
  return { ok: true, message: { id, from: phone.e164, text: fields.text, linkId: typeof fields.linkId === "string" ? fields.linkId : null } };
}
