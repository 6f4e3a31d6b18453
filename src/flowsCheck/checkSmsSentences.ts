import { countSmsSegments } from "../shared/smsSegments.ts";
import { toSmsText } from "../shared/smsText.ts";
import { OUTBOX_KEYS } from "../domain/outbox/outboxText.ts";
import { SMS_REMINDER_KEYS } from "../domain/outbox/smsReminderText.ts";
import type { Translate } from "../engine/types.ts";
import { sampleVariants } from "./sampleVariables.ts";
import { SMS_HELP_KEY } from "../channels/sms/renderSms.ts";

/** More parts than this make an SMS costly and arrive in pieces on old phones. */
const SMS_SEGMENT_LIMIT = 2;

/** A decided method-change request as long as real ones get. */
const sampleRequest = {
  reference: "YCABCDEFGH",
  name: "Hoàng Thị Phương Thảo Nguyễn",
  requestedMethod: "mobile_money",
  accountProvider: "MobiFone Money",
  accountLast4: "9876",
  walletPhone: "+84912345678",
  decisionReason: "Số tài khoản không đúng tên người hưởng",
};

/**
 * Every sentence a message the bot starts itself may carry by SMS (folded as SMS sends it), with
 * data as long as real data gets: one over SMS_SEGMENT_LIMIT parts is a problem. (The heading of
 * USSD notices is never sent by SMS.) The help a text that answered nothing gets is one part.
 */
export function checkSmsSentences(translate: Translate, locales: string[]): string[] {
  const problems: string[] = [];
  for (const locale of locales) {
    const help = countSmsSegments(toSmsText(translate(locale as "vi", SMS_HELP_KEY))).segments;
    if (help > 1) problems.push(`locales/${locale}: "${SMS_HELP_KEY}" takes ${help} SMS parts: the help answered to anything else must fit one`);
  }
  const keys = [...OUTBOX_KEYS.filter((k) => k !== "notice.ussd_heading"), ...SMS_REMINDER_KEYS];
  for (const locale of locales) {
    for (const key of keys) {
      let most = 0;
      for (const vars of sampleVariants()) {
        const text = toSmsText(translate(locale as "vi", key, { ...vars, request: sampleRequest, text: "Bác mang CCCD đến UBND xã." }));
        most = Math.max(most, countSmsSegments(text).segments);
      }
      if (most > SMS_SEGMENT_LIMIT) problems.push(`locales/${locale}: "${key}" takes ${most} SMS parts with long data, over the limit of ${SMS_SEGMENT_LIMIT}`);
    }
  }
  return problems;
}
