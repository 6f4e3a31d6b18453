import type { ParseResult, UssdGateway } from "./gateway.ts";

const MAX_FIELD = { sessionId: 128, phoneNumber: 32, serviceCode: 64, text: 2000 };

function field(body: Record<string, unknown>, name: keyof typeof MAX_FIELD, required: boolean): string | { error: string } | undefined {
  const value = body[name];
  if (value === undefined || value === null) return required ? { error: `${name} is required` } : undefined;
  if (typeof value !== "string") return { error: `${name} must be a string` };
  if (value.length > MAX_FIELD[name]) return { error: `${name} is longer than ${MAX_FIELD[name]} characters` };
  return value;
}

/**
 * Africa's Talking: form-encoded (or JSON) `sessionId`, `serviceCode`, `phoneNumber`, `text`, where
 * `text` is every input of the session so far joined with `*`: "" on the first request of a plain
 * dial, already "1" or "1*2" on the first request of a dial with keys after the code
 * (`*384*123*1*2#`). The reply is text/plain starting "CON " (wait for input) or "END " (close).
 */
export const africasTalking: UssdGateway = {
  name: "africastalking",
  parse(body: unknown): ParseResult {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      return { ok: false, reason: "expected a form-encoded or JSON object body" };
    }
    const record = body as Record<string, unknown>;
    const sessionId = field(record, "sessionId", true);
    const phoneNumber = field(record, "phoneNumber", true);
    const text = field(record, "text", true);
    const serviceCode = field(record, "serviceCode", false);
    for (const value of [sessionId, phoneNumber, text, serviceCode]) {
      if (typeof value === "object") return { ok: false, reason: value.error };
    }
    const session = (sessionId as string).trim();
    const msisdn = (phoneNumber as string).trim();
    if (!session) return { ok: false, reason: "sessionId is empty" };
    if (!/^\+?\d{6,15}$/.test(msisdn.replace(/[\s-]/g, ""))) return { ok: false, reason: "phoneNumber is not a phone number" };
    if (/[\u0000-\u001f\u007f]/.test(text as string)) return { ok: false, reason: "text has control characters" };
    const history = text as string;
    const latestInput = history === "" ? "" : history.slice(history.lastIndexOf("*") + 1);
    return {
      ok: true,
      request: {
        sessionId: session,
        msisdn,
        latestInput,
        isNewDial: history === "",
        sessionInputs: history.split("*").filter((key) => key !== ""),
        requestKey: `${session}\u0000${history}`,
      },
    };
  },
  respond(screen) {
    return { contentType: "text/plain; charset=utf-8", body: `${screen.end ? "END" : "CON"} ${screen.text}` };
  },
};
