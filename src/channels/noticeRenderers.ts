import type { NoticeRenderers } from "../domain/broadcasts/previewBroadcast.ts";
import { telegramNoticeParts } from "./telegram/renderTelegramReply.ts";
import { paginateUssd } from "./ussd/renderUssd.ts";
import { toUssdText } from "./ussd/ussdText.ts";
import { splitZaloText } from "./zalo/renderZaloReply.ts";

/** The renderers a broadcast preview shows a notice through: the very ones the channels send with. */
export const noticeRenderers: NoticeRenderers = {
  telegram: telegramNoticeParts,
  zalo: splitZaloText,
  ussdText: toUssdText,
  ussdScreens: (reply, screenLimit) => paginateUssd(reply, screenLimit).map((screen) => screen.text),
};
