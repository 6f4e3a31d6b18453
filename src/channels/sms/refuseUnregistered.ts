import { log } from "../../shared/log.ts";
import { PlatformError } from "../../domain/outbox/platformError.ts";

/**
 * For a brandname provider (eSMS): a text `carried` says matches none of the registered templates
 * (smsTemplates.ts, carriedBy: the same test the broadcast queue makes) would be
 * refused by the carrier after costing a call, so it is refused here, logged, and given up (a
 * permanent failure: sending it again cannot help).
 */
export function refuseUnregistered(carried: (text: string) => boolean): (text: string) => void {
  return (text) => {
    if (carried(text)) return;
    log.warn("SMS refused locally: the text matches no registered template (see `ansinh sms templates`)", { length: text.length });
    throw new PlatformError("sms", "template", 422, "matches no registered template");
  };
}
