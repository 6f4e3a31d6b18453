import type { SmsConfig } from "../../config.ts";
import { africasTalkingSms } from "./africasTalkingSms.ts";
import { esmsSms } from "./esmsSms.ts";
import type { SmsProvider } from "./smsProvider.ts";

/** The provider SMS_PROVIDER names, or null when SMS is off. `publicUrl` gives eSMS its delivery-report address. */
export function createSmsProvider(sms: SmsConfig, publicUrl: string | null): SmsProvider | null {
  if (sms.provider === "africastalking") {
    const at = sms.africasTalking;
    return africasTalkingSms({ apiRoot: sms.apiRoot, username: at.username ?? "", apiKey: at.apiKey ?? "", senderId: at.senderId });
  }
  if (sms.provider === "esms") {
    const e = sms.esms;
    const callbackUrl = publicUrl ? `${publicUrl}/sms/esms/delivery${sms.callbackSecret ? `/${sms.callbackSecret}` : ""}` : null;
    return esmsSms({ apiRoot: sms.apiRoot, apiKey: e.apiKey ?? "", secretKey: e.secretKey ?? "", brandname: e.brandname ?? "", callbackUrl });
  }
  return null;
}
