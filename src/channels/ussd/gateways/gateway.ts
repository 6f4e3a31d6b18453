import type { UssdScreen } from "../renderUssd.ts";

/** One USSD request, whatever the gateway's format. */
export interface UssdRequest {
  sessionId: string;
  /** The caller's number exactly as the gateway sent it; the network vouches for it. */
  msisdn: string;
  /** The newest thing the caller typed; "" on the first request of a dial. */
  latestInput: string;
  isNewDial: boolean;
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
 * Talking sends the whole `*`-joined history, Hubtel only the latest input); the rest of the
 * channel sees one shape.
 */
export interface UssdGateway {
  name: string;
  parse(body: unknown): ParseResult;
  respond(screen: UssdScreen): { contentType: string; body: string };
}
