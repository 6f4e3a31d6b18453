import { PlatformError } from "../../domain/outbox/platformError.ts";
import { nationalPhone } from "../../shared/phone.ts";
import { callSmsProvider } from "./smsHttp.ts";
import { isGsm7 } from "../../shared/smsSegments.ts";
import type { SmsAccepted, SmsMessage, SmsProvider } from "./smsProvider.ts";

export interface EsmsSettings {
  apiRoot: string;
  apiKey: string;
  secretKey: string;
  brandname: string;
  /** Where eSMS reports delivery (GET /sms/esms/delivery…); none without PUBLIC_URL. */
  callbackUrl: string | null;
}

/** eSMS's answer codes that matter here. */
const ACCEPTED = "100";
/** "RequestId already used": the provider has this message already (a resend after a crash). */
const REPEATED_REQUEST_ID = "124";
/** eSMS's "unknown error": their side, worth another try. */
const UNKNOWN_ERROR = "99";

/**
 * eSMS.vn brandname SMS: POST {root}/MainService.svc/json/SendMultipleMessage_V4_post_json/ with
 * JSON ApiKey, SecretKey, Phone, Content, Brandname, SmsType "2" (customer care), IsUnicode,
 * RequestId (our outbox id: eSMS refuses a repeated one with 124, so a message resent after a
 * crash is never delivered twice) and CallbackUrl. Answer: CodeResult "100" and SMSID.
 */
export function esmsSms(settings: EsmsSettings): SmsProvider {
  const url = `${settings.apiRoot.replace(/\/+$/, "")}/MainService.svc/json/SendMultipleMessage_V4_post_json/`;
  return {
    name: "esms",
    async send(message: SmsMessage): Promise<SmsAccepted> {
      const body = {
        ApiKey: settings.apiKey,
        SecretKey: settings.secretKey,
        Phone: nationalPhone(message.to),
        Content: message.text,
        Brandname: settings.brandname,
        SmsType: "2",
        IsUnicode: isGsm7(message.text) ? 0 : 1,
        RequestId: message.requestId,
        ...(settings.callbackUrl ? { CallbackUrl: settings.callbackUrl } : {}),
      };
      const answer = await callSmsProvider("SendMultipleMessage_V4", url, {
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
      const code = String(answer?.CodeResult ?? "");
      if (code === ACCEPTED) return { providerId: answer.SMSID ? String(answer.SMSID) : null, alreadySent: false };
      if (code === REPEATED_REQUEST_ID) return { providerId: null, alreadySent: true };
      const description = `CodeResult ${code || "missing"}${answer?.ErrorMessage ? `: ${String(answer.ErrorMessage).slice(0, 200)}` : ""}`;
      throw new PlatformError("sms", "SendMultipleMessage_V4", code === UNKNOWN_ERROR ? 503 : 400, description);
    },
  };
}
