import type { UssdScreen } from "../renderUssd.ts";

/** One USSD request, whatever the gateway's format. */
export interface UssdRequest {
  sessionId: string;
  /** The caller's number exactly as the gateway sent it; the network vouches for it. */
  msisdn: string;
  /** The newest thing the caller typed; "" on the first request of a dial. */
  latestInput: string;
  /** The gateway marks this request as the first of its session. */
  isNewDial: boolean;
  /**
   * Every key typed in this session so far, where the gateway tells them: on the first request, the
   * keys dialled after the service code (`*384*123*1*2#` → ["1", "2"]). Null when the gateway sends
   * only the latest input.
   */
  sessionInputs: string[] | null;
  /** Identifies the request: the same key again is a repeat. */
  requestKey: string;
}

export type ParseResult =
  | { ok: true; request: UssdRequest }
  /** A notice that needs no screen (the network closed the session). */
  | { ok: true; notice: string }
  | { ok: false; reason: string };

/**
 * A USSD gateway's contract: read its request body, write its response. Gateways differ (Africa's
 * Talking sends the whole `*`-joined history, Hubtel only the latest input and, when a session
 * starts, the dialled string); the rest of the channel sees one shape.
 */
export interface UssdGateway {
  name: string;
  parse(body: unknown): ParseResult;
  respond(screen: UssdScreen): { contentType: string; body: string };
}
