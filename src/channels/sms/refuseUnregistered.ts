import { matchingTemplate, type SmsTemplate } from "../../domain/outbox/smsTemplates.ts";
import { log } from "../../shared/log.ts";
import { PlatformError } from "../../domain/outbox/platformError.ts";

/**
 * For a brandname provider (eSMS): a text that matches none of the registered templates would be
 * refused by the carrier after costing a call, so it is refused here, logged, and given up (a
 * permanent failure: sending it again cannot help).
 */
export function refuseUnregistered(templates: SmsTemplate[]): (text: string) => void {
  return (text) => {
    if (matchingTemplate(templates, text)) return;
    log.warn("SMS refused locally: the text matches no registered template (see `ansinh sms templates`)", { length: text.length });
    throw new PlatformError("sms", "template", 422, "matches no registered template");
  };
}
