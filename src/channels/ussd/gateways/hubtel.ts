import type { ParseResult, UssdGateway } from "./gateway.ts";

const TYPES = ["initiation", "response", "release", "timeout"];

/**
 * Hubtel: JSON `{ Type, Message, ServiceCode, Operator, SessionId, Mobile, Sequence }`, where
 * `Message` holds only the latest input; on "Initiation" it is the dialled string, so what follows
 * the `ServiceCode` in it are keys dialled with the code (`*384*123*1#` → "1"). The reply is JSON
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
    if (record.ServiceCode !== undefined && typeof record.ServiceCode !== "string" && typeof record.ServiceCode !== "number") {
      return { ok: false, reason: "ServiceCode must be a string" };
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
        sessionInputs: isNewDial ? keysAfterServiceCode(message, String(record.ServiceCode ?? "")) : null,
        requestKey: `${sessionId}\u0000${String(record.Sequence ?? "")}\u0000${message}`,
      },
    };
  },
  respond(screen) {
    return { contentType: "application/json", body: JSON.stringify({ Message: screen.text, Type: screen.end ? "Release" : "Response" }) };
  },
};

/**
 * The keys dialled after the service code: "*384*123*1*2#" with the code "*384*123#" (or "384*123")
 * gives ["1", "2"]. Without a service code, or a dialled string that does not start with it, none.
 */
function keysAfterServiceCode(dialled: string, serviceCode: string): string[] {
  const bare = (code: string) => code.trim().replace(/^\*+/, "").replace(/#+$/, "");
  const code = bare(serviceCode);
  const typed = bare(dialled);
  if (!code || !typed.startsWith(`${code}*`)) return [];
  return typed.slice(code.length + 1).split("*").filter((key) => key !== "");
}
