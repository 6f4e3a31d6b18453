import { africasTalking } from "./africasTalking.ts";
import type { UssdGateway } from "./gateway.ts";
import { hubtel } from "./hubtel.ts";

/** The gateway formats POST /ussd/<name> understands; POST /ussd is Africa's Talking. */
export const USSD_GATEWAYS: Record<string, UssdGateway> = {
  africastalking: africasTalking,
  hubtel,
};
export const DEFAULT_USSD_GATEWAY = africasTalking;
