import type { Locale } from "../../engine/session.ts";
import type { Reply, Translate } from "../../engine/types.ts";
import { noticeLines } from "../outbox/noticeBoard.ts";
import type { SmsSegments } from "../../shared/smsSegments.ts";
import type { SmsCarries } from "./queueBroadcast.ts";

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
  /**
   * The SMS as sent (without diacritics), its parts, and what one message costs (SMS_PRICE_PER_SEGMENT
   * × parts, VND). `unregistered`: the provider carries registered templates only (eSMS) and this
   * text matches none, so nobody gets it by SMS: those people see it at their next USSD dial.
   */
  sms: { text: string; segments: SmsSegments; pricePerMessage: number; unregistered: boolean };
}

/**
 * How each channel lays a notice out: the channels' own renderers, handed in by whoever assembles
 * the service (src/channels/noticeRenderers.ts), since the domain imports no channel.
 */
export interface NoticeRenderers {
  /** The messages a notice is sent as on Telegram (split past its text limit). */
  telegram(text: string): string[];
  /** The same on Zalo. */
  zalo(text: string): string[];
  /** A text as a USSD handset shows it (without diacritics). */
  ussdText(text: string): string;
  /** The texts of the USSD screens a reply is paged into at the screen limit. */
  ussdScreens(reply: Reply, screenLimit: number): string[];
  /** The SMS a notice is sent as (without diacritics where it can), and its parts. */
  sms(text: string): { text: string; segments: SmsSegments };
}

/** How a notice will look on each channel, through the channels' own renderers. */
export function previewBroadcast(
  text: string,
  locale: Locale,
  deps: { translate: Translate; ussdScreenLimit: number; renderers: NoticeRenderers; smsPricePerSegment?: number; smsCarries?: SmsCarries },
): BroadcastPreview {
  const t = (key: string) => deps.translate(locale, key);
  const screens = deps.renderers.ussdScreens(
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
  );
  const ussdText = deps.renderers.ussdText(text);
  const sms = deps.renderers.sms(text);
  return {
    sms: { text: sms.text, segments: sms.segments, pricePerMessage: sms.segments.segments * (deps.smsPricePerSegment ?? 0), unregistered: deps.smsCarries ? !deps.smsCarries(text) : false },
    length: text.length,
    telegram: { messages: deps.renderers.telegram(text) },
    zalo: { messages: deps.renderers.zalo(text) },
    ussd: { text: ussdText, length: ussdText.length, screenLimit: deps.ussdScreenLimit, pages: screens.length, screens },
  };
}
