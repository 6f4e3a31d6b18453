import type { NoticeRenderers } from "../domain/broadcasts/previewBroadcast.ts";
import { telegramNoticeParts } from "./telegram/renderTelegramReply.ts";
import { paginateUssd } from "./ussd/renderUssd.ts";
import { toFeaturePhoneText } from "../shared/featurePhoneText.ts";
import { splitZaloText } from "./zalo/renderZaloReply.ts";
import { toSmsText } from "../shared/smsText.ts";
import { countSmsSegments } from "../shared/smsSegments.ts";

/** The renderers a broadcast preview shows a notice through: the very ones the channels send with. */
export const noticeRenderers: NoticeRenderers = {
  telegram: telegramNoticeParts,
  zalo: splitZaloText,
  ussdText: toFeaturePhoneText,
  ussdScreens: (reply, screenLimit) => paginateUssd(reply, screenLimit).map((screen) => screen.text),
  sms: (text) => {
    const sms = toSmsText(text);
    return { text: sms, segments: countSmsSegments(sms) };
  },
};
