import type { Sql } from "../../db/sql/sql.ts";
import type { Locale } from "../../engine/session.ts";
import type { Translate } from "../../engine/types.ts";
import type { StaffScope } from "../staffScope.ts";
import { audienceCategories, resolveAudience, type Audience } from "./audience.ts";
import { broadcastProgress } from "./broadcastProgress.ts";
import { findBroadcast, listBroadcasts, type BroadcastStatus } from "./broadcastRecord.ts";
import { cancelBroadcast } from "./cancelBroadcast.ts";
import { countReach } from "./countReach.ts";
import { createBroadcast, type CreateBroadcastInput } from "./createBroadcast.ts";
import { previewBroadcast, type NoticeRenderers } from "./previewBroadcast.ts";
import { resumeQueueing, scheduleBroadcast, sendNow, type ScheduleInput, type SmsCarries } from "./queueBroadcast.ts";

export interface BroadcastDeps {
  sql: Sql;
  translate: Translate;
  ussdScreenLimit: number;
  /** The channels' renderers, for the preview. */
  noticeRenderers: NoticeRenderers;
  clock: () => Date;
  /** VND per SMS part, for the preview's cost estimate (SMS_PRICE_PER_SEGMENT). */
  smsPricePerSegment?: number;
  /**
   * Whether the SMS provider carries a text (eSMS: it matches a registered template); absent: any
   * text. The preview says when it does not, and those people get the notice at their next USSD dial.
   */
  smsCarries?: SmsCarries;
}

/**
 * Broadcasts as the console uses them: every function of this folder bound to the service's
 * database, sentences, USSD screen limit, the channels' renderers and clock. Every action takes the caller's scope.
 */
export function createBroadcasts({ sql, translate, ussdScreenLimit, noticeRenderers, clock, smsPricePerSegment, smsCarries }: BroadcastDeps) {
  return {
    resolveAudience: (audience: Partial<Audience>, scope: StaffScope) => resolveAudience(sql, audience, scope),
    categories: (scope: StaffScope) => audienceCategories(sql, scope),
    countReach: (audience: Partial<Audience>, scope: StaffScope) => countReach(sql, audience, scope),
    preview: (text: string, locale: Locale) => previewBroadcast(text, locale, { translate, ussdScreenLimit, renderers: noticeRenderers, smsPricePerSegment, smsCarries }),
    create: (input: Omit<CreateBroadcastInput, "now">) => createBroadcast(sql, { ...input, now: clock() }),
    get: (id: number, scope: StaffScope) => findBroadcast(sql, id, scope),
    list: (scope: StaffScope, options?: { status?: BroadcastStatus; limit?: number }) => listBroadcasts(sql, scope, options),
    schedule: (input: Omit<ScheduleInput, "now" | "smsCarries">) => scheduleBroadcast(sql, { ...input, now: clock(), smsCarries }),
    sendNow: (input: Omit<ScheduleInput, "now" | "at" | "smsCarries">) => sendNow(sql, { ...input, now: clock(), smsCarries }),
    cancel: (input: { id: number; by: string; scope: StaffScope }) => cancelBroadcast(sql, { ...input, now: clock() }),
    progress: (id: number, scope: StaffScope) => broadcastProgress(sql, id, scope, clock()),
    resumeQueueing: () => resumeQueueing(sql, clock(), smsCarries),
  };
}

export type Broadcasts = ReturnType<typeof createBroadcasts>;
