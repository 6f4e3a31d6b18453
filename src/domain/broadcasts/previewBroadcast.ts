import { splitZaloText } from "../../channels/zalo/renderZaloReply.ts";
import { telegramNoticeParts } from "../../channels/telegram/renderTelegramReply.ts";
import { paginateUssd } from "../../channels/ussd/renderUssd.ts";
import { toUssdText } from "../../channels/ussd/ussdText.ts";
import { countSmsSegments, type SmsSegments } from "../../channels/sms/countSmsSegments.ts";
import { toSmsText } from "../../channels/sms/smsText.ts";
import type { Locale } from "../../engine/session.ts";
import type { Translate } from "../../engine/types.ts";
import { noticeLines } from "../outbox/noticeBoard.ts";

export interface BroadcastPreview {
  /** Characters of the text as written. */
  length: number;
  /** The messages Telegram and Zalo show (a long text is split the way the senders split it). */
  telegram: { messages: string[] };
  zalo: { messages: string[] };
  /**
   * The screens a USSD caller sees at their next dial (heading, then the text, without diacritics,
   * paged at the screen limit; the main menu follows on the last screen), the text's length as
   * USSD shows it, and the number of screens.
   */
  ussd: { text: string; length: number; screenLimit: number; pages: number; screens: string[] };
  /** The SMS as sent (without diacritics), its parts, and what one message costs (SMS_PRICE_PER_SEGMENT × parts, VND). */
  sms: { text: string; segments: SmsSegments; pricePerMessage: number };
}

/** How a notice will look on each channel, through the channels' own renderers. */
export function previewBroadcast(text: string, locale: Locale, deps: { translate: Translate; ussdScreenLimit: number; smsPricePerSegment?: number }): BroadcastPreview {
  const t = (key: string) => deps.translate(locale, key);
  const screens = paginateUssd(
    {
      locale,
      texts: noticeLines(deps.translate, locale, [text]),
      choices: [],
      expects: "none",
      end: false,
      nav: { back: t("engine.nav_back"), home: t("engine.nav_home"), more: t("engine.nav_more") },
      canGoBack: false,
    },
    deps.ussdScreenLimit,
  ).map((screen) => screen.text);
  const ussdText = toUssdText(text);
  const smsText = toSmsText(text);
  const segments = countSmsSegments(smsText);
  return {
    sms: { text: smsText, segments, pricePerMessage: segments.segments * (deps.smsPricePerSegment ?? 0) },
    length: text.length,
    telegram: { messages: telegramNoticeParts(text) },
    zalo: { messages: splitZaloText(text) },
    ussd: { text: ussdText, length: ussdText.length, screenLimit: deps.ussdScreenLimit, pages: screens.length, screens },
  };
}
