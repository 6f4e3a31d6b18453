import type { ConversationService, ScreenRenderer } from "../../domain/conversationService.ts";
import type { ChannelAdapter } from "../channelAdapter.ts";
import type { Turn } from "../../engine/types.ts";
import { normalizeVietnamPhone } from "../../shared/phone.ts";
import type { UssdGateway, UssdRequest } from "./gateways/gateway.ts";
import { ussdRenderer, type UssdScreen } from "./renderUssd.ts";

const USSD_CHANNEL = "ussd";

/**
 * The USSD channel: turns a gateway request into a conversation turn and the engine's reply into
 * a screen. State is kept by phone number (not by the gateway's session id) so a caller whose
 * dial dropped is offered to continue on the next one; the session id, kept with it, tells a new
 * dial from the next request of the same one.
 */
export class UssdChannel implements ChannelAdapter<UssdScreen> {
  readonly channel = USSD_CHANNEL;
  readonly renderer: ScreenRenderer<UssdScreen>;

  constructor(
    private readonly service: ConversationService,
    screenLimit: number,
  ) {
    this.renderer = ussdRenderer(screenLimit);
  }

  async answer(request: UssdRequest): Promise<UssdScreen> {
    const phone = normalizeVietnamPhone(request.msisdn);
    const digits = request.msisdn.replace(/\D/g, "");
    const next: Turn = { kind: "input", text: request.latestInput };
    // A new dial offers to continue a dropped conversation; one dialled with keys (`*384*123*1#`)
    // presses them from the first screen instead. Where the gateway does not tell the session's
    // keys, a session we have not seen goes on from where the conversation is.
    const keys = request.sessionInputs;
    const opening: Turn = keys === null ? next : keys.length ? { kind: "start", inputs: keys } : { kind: "reconnect" };
    const { output } = await this.service.handle(
      {
        conversation: { channel: USSD_CHANNEL, userId: phone.ok ? phone.e164 : `+${digits}`, phone: phone.ok ? phone.e164 : undefined },
        turn: request.isNewDial ? opening : next,
        requestKey: request.requestKey,
        channelSession: { id: request.sessionId, first: request.isNewDial, opening },
      },
      this.renderer,
    );
    return output;
  }

  /** Parses with the gateway, answers, and formats the gateway's response. */
  async handleGatewayBody(gateway: UssdGateway, body: unknown): Promise<{ status: number; contentType: string; body: string; reason?: string }> {
    const parsed = gateway.parse(body);
    if (!parsed.ok) return { status: 400, contentType: "text/plain; charset=utf-8", body: `Bad request: ${parsed.reason}`, reason: parsed.reason };
    if ("notice" in parsed) return { status: 200, contentType: "text/plain; charset=utf-8", body: "" };
    const screen = await this.answer(parsed.request);
    return { status: 200, ...gateway.respond(screen) };
  }
}
