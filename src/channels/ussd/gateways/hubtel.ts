import type { ParseResult, UssdGateway } from "./gateway.ts";

const TYPES = ["initiation", "response", "release", "timeout"];

/**
 * Hubtel: JSON `{ Type, Message, ServiceCode, Operator, SessionId, Mobile, Sequence }`, where
 * `Message` holds only the latest input (the dialled code on "Initiation"). The reply is JSON
 * `{ Message, Type: "Response" | "Release" }`. "Release" and "Timeout" tell that the network
 * closed the session: acknowledged, nothing to answer.
 */
export const hubtel: UssdGateway = {
  name: "hubtel",
  parse(body: unknown): ParseResult {
    if (body === null || typeof body !== "object" || Array.isArray(body)) return { ok: false, reason: "expected a JSON object body" };
    const record = body as Record<string, unknown>;
    for (const name of ["Type", "SessionId", "Mobile"]) {
      if (typeof record[name] !== "string" || !(record[name] as string).trim()) return { ok: false, reason: `${name} is required and must be a string` };
    }
    if (record.Message !== undefined && typeof record.Message !== "string") return { ok: false, reason: "Message must be a string" };
    if (record.Sequence !== undefined && typeof record.Sequence !== "number" && typeof record.Sequence !== "string") {
      return { ok: false, reason: "Sequence must be a number" };
    }
    const type = (record.Type as string).toLowerCase();
    if (!TYPES.includes(type)) return { ok: false, reason: `Type must be one of Initiation, Response, Release, Timeout` };
    const sessionId = (record.SessionId as string).slice(0, 128);
    const mobile = (record.Mobile as string).trim();
    if (!/^\+?\d{6,15}$/.test(mobile)) return { ok: false, reason: "Mobile is not a phone number" };
    if (type === "release" || type === "timeout") return { ok: true, notice: type };
    const message = ((record.Message as string | undefined) ?? "").slice(0, 200);
    if (/[\u0000-\u001f\u007f]/.test(message)) return { ok: false, reason: "Message has control characters" };
    const isNewDial = type === "initiation";
    return {
      ok: true,
      request: {
        sessionId,
        msisdn: mobile.startsWith("+") ? mobile : `+${mobile}`,
        latestInput: isNewDial ? "" : message.trim(),
        isNewDial,
        requestKey: `${sessionId}\u0000${String(record.Sequence ?? "")}\u0000${message}`,
      },
    };
  },
  respond(screen) {
    return { contentType: "application/json", body: JSON.stringify({ Message: screen.text, Type: screen.end ? "Release" : "Response" }) };
  },
};
