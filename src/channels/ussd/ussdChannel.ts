import type { ConversationService, ScreenRenderer } from "../../domain/conversationService.ts";
import type { ChannelAdapter } from "../channelAdapter.ts";
import type { Turn } from "../../engine/types.ts";
import { normalizeVietnamPhone } from "../../shared/phone.ts";
import type { UssdGateway, UssdRequest } from "./gateways/gateway.ts";
import { ussdRenderer, type UssdScreen } from "./renderUssd.ts";

export const USSD_CHANNEL = "ussd";

/**
 * The USSD channel: turns a gateway request into a conversation turn and the engine's reply into
 * a screen. State is kept by phone number (not by the gateway's session id) so a caller whose
 * dial dropped is offered to continue on the next one.
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
    const turn: Turn = request.isNewDial ? { kind: "reconnect" } : { kind: "input", text: request.latestInput };
    const { output } = await this.service.handle(
      {
        conversation: { channel: USSD_CHANNEL, userId: phone.ok ? phone.e164 : `+${digits}`, phone: phone.ok ? phone.e164 : undefined },
        turn,
        requestKey: request.requestKey,
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
