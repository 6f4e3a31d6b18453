import type { Sql } from "../../db/sql/sql.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { auditWriter } from "../audit.ts";
import { ALL_COMMUNES, type StaffScope } from "../staffScope.ts";
import { findBroadcast, notFound, type Broadcast, type BroadcastRefusal } from "./broadcastRecord.ts";
import { audienceRecipientsSql } from "./countReach.ts";

/** Rows written per transaction: a 20,000-person commune takes 40 short write locks, not one long one. */
const QUEUE_BATCH_SIZE = 500;
/** A time this far in the past is a mistake, not "now". */
const PAST_TOLERANCE_MS = 60_000;

export interface ScheduleInput {
  id: number;
  /** When it goes out; now or earlier sends at once. */
  at: Date;
  /** The staff member's username. */
  by: string;
  scope: StaffScope;
  now?: Date;
  batchSize?: number;
  /** Whether the SMS provider carries a text (eSMS: it matches a registered template); absent: any text. */
  smsCarries?: SmsCarries;
}

/** Whether the SMS provider would send a text: brandname SMS (eSMS) carries registered templates only. */
export type SmsCarries = (text: string) => boolean;

export type ScheduleResult = { ok: true; broadcast: Broadcast; queued: number } | BroadcastRefusal;

interface Recipient {
  id: number;
  channel: string;
  externalId: string;
  locale: string;
  beneficiaryId: number | null;
}

const broadcastDedupeKey = (broadcastId: number, identityId: number) => `notice:broadcast:${broadcastId}:identity:${identityId}`;

/** English for those who chose English, when there is an English text; Vietnamese otherwise. */
function wordsFor(broadcast: Pick<Broadcast, "textVi" | "textEn">, locale: string): { locale: "vi" | "en"; text: string } {
  return locale === "en" && broadcast.textEn ? { locale: "en", text: broadcast.textEn } : { locale: "vi", text: broadcast.textVi };
}

const BROADCAST_STATE = `SELECT status, scheduledAt FROM Broadcast WHERE id = ?`;
const INSERT_NOTICE = `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, beneficiaryId, broadcastId, kind, locale, text, dueAt, status, createdAt, updatedAt)
  VALUES (@dedupeKey, @channel, @externalId, @identityId, @beneficiaryId, @broadcastId, 'notice', @locale, @text, @dueAt, 'pending', @at, @at)
  ON CONFLICT(dedupeKey) DO NOTHING`;
const MARK_QUEUED = `UPDATE Broadcast SET queuedAt = @at, recipients = (SELECT COUNT(*) FROM OutboxMessage WHERE broadcastId = @id), updatedAt = @at
  WHERE id = @id AND status IN ('scheduled', 'sending')`;

const yieldToOthers = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The channel a recipient's notice is queued on: their own, except an SMS the provider would
 * refuse (a broadcast is free text; eSMS carries registered templates only), which would only
 * fail: the person sees the notice at their next USSD dial instead, as anyone without a push
 * channel does. Null when that phone already gets it there (its USSD identity is a recipient too).
 */
function channelOf(r: Recipient, text: string, smsCarries: SmsCarries | undefined, ussdPhones: Set<string>): string | null {
  if (r.channel !== "sms" || !smsCarries || smsCarries(text)) return r.channel;
  return ussdPhones.has(r.externalId) ? null : "ussd";
}

/**
 * Queues one outbox notice per recipient identity, in batches, each in its own transaction, and
 * lets other work of the process run between batches. Safe to run again at any point (after a
 * crash, or twice at once): the dedupe key names the broadcast and the identity, so a message is
 * neither lost nor queued twice. Stops if the broadcast is cancelled meanwhile. Marks the
 * broadcast queued once every recipient is in. Returns the messages this run added.
 */
async function queueRecipients(sql: Sql, broadcast: Broadcast, now: Date, batchSize: number, smsCarries?: SmsCarries): Promise<number> {
  const select = audienceRecipientsSql(broadcast.audience);
  const recipients = await sql.all<Recipient>(select.sql, select.params);
  const ussdPhones = new Set(recipients.filter((r) => r.channel === "ussd").map((r) => r.externalId));
  const at = sqlTimestamp(now);
  let queued = 0;
  for (let start = 0; start < recipients.length; start += batchSize) {
    const added = await sql.transaction(async () => {
      const current = await sql.get<{ status: string; scheduledAt: string }>(BROADCAST_STATE, [broadcast.id]);
      if (!current || (current.status !== "scheduled" && current.status !== "sending")) return null;
      let added = 0;
      for (const r of recipients.slice(start, start + batchSize)) {
        const words = wordsFor(broadcast, r.locale);
        const channel = channelOf(r, words.text, smsCarries, ussdPhones);
        if (channel === null) continue;
        added += (
          await sql.run(INSERT_NOTICE, {
            // The recipient identity's key whatever the channel: queued again, it is found, never doubled.
            dedupeKey: broadcastDedupeKey(broadcast.id, r.id),
            channel,
            externalId: r.externalId,
            identityId: r.id,
            beneficiaryId: r.beneficiaryId,
            broadcastId: broadcast.id,
            locale: words.locale,
            text: words.text,
            dueAt: current.scheduledAt,
            at,
          })
        ).changes;
      }
      return added;
    });
    if (added === null) return queued;
    queued += added;
    await yieldToOthers();
  }
  await sql.run(MARK_QUEUED, { id: broadcast.id, at });
  return queued;
}

/**
 * Schedules a broadcast for `at` (or sends it now when `at` is not in the future), audited:
 * a draft is queued for everyone its audience reaches then, each in their language, due at `at`;
 * a scheduled one moves to the new time; one whose queuing a crash cut short is finished.
 */
export async function scheduleBroadcast(sql: Sql, input: ScheduleInput): Promise<ScheduleResult> {
  const now = input.now ?? new Date();
  const by = input.by.trim();
  if (!by) return { ok: false, error: "invalid", message: "Say who schedules the broadcast (username)." };
  if (Number.isNaN(input.at.getTime())) return { ok: false, error: "invalid", message: "The time to send is not a date." };
  if (input.at.getTime() < now.getTime() - PAST_TOLERANCE_MS) return { ok: false, error: "invalid", message: "The time to send has passed: choose a later time, or send now." };
  const dueAt = input.at.getTime() > now.getTime() ? input.at : now;
  const status = dueAt > now ? "scheduled" : "sending";
  const audit = auditWriter(sql);
  const decided = await sql.transaction(async (): Promise<{ ok: true; broadcast: Broadcast } | BroadcastRefusal> => {
    const broadcast = await findBroadcast(sql, input.id, input.scope);
    if (!broadcast) return notFound(input.id);
    const resumable = (broadcast.status === "scheduled" || broadcast.status === "sending") && broadcast.queuedAt === null;
    if (broadcast.status !== "draft" && broadcast.status !== "scheduled" && !resumable) {
      return { ok: false, error: "wrong_status", message: `Broadcast ${broadcast.id} is ${broadcast.status}: only a draft or a scheduled broadcast can be scheduled or sent.` };
    }
    const at = sqlTimestamp(now);
    await sql.run(`UPDATE Broadcast SET status = ?, scheduledAt = ?, updatedAt = ? WHERE id = ?`, [status, sqlTimestamp(dueAt), at, broadcast.id]);
    await sql.run(`UPDATE OutboxMessage SET dueAt = ?, updatedAt = ? WHERE broadcastId = ? AND status = 'pending'`, [sqlTimestamp(dueAt), at, broadcast.id]);
    await audit({
      actorKind: "staff",
      actorId: by,
      action: status === "sending" ? "broadcast.sent_now" : "broadcast.scheduled",
      entity: "Broadcast",
      entityId: broadcast.id,
      before: { status: broadcast.status, scheduledAt: broadcast.scheduledAt },
      after: { status, scheduledAt: dueAt },
      at: now,
    });
    return { ok: true, broadcast: { ...broadcast, status, scheduledAt: dueAt } };
  });
  if (!decided.ok) return decided;
  const queued = decided.broadcast.queuedAt ? 0 : await queueRecipients(sql, decided.broadcast, now, input.batchSize ?? QUEUE_BATCH_SIZE, input.smsCarries);
  return { ok: true, broadcast: (await findBroadcast(sql, input.id, input.scope))!, queued };
}

/** Sends a draft (or a scheduled broadcast) now. */
export function sendNow(sql: Sql, input: Omit<ScheduleInput, "at">): Promise<ScheduleResult> {
  const now = input.now ?? new Date();
  return scheduleBroadcast(sql, { ...input, at: now, now });
}

/**
 * Finishes queuing broadcasts a crash interrupted (scheduled or sending, not yet marked queued).
 * Run at start and now and then; queuing is idempotent. Returns the messages added.
 */
export async function resumeQueueing(sql: Sql, now: Date = new Date(), smsCarries?: SmsCarries): Promise<number> {
  const rows = await sql.all<{ id: number }>(`SELECT id FROM Broadcast WHERE status IN ('scheduled', 'sending') AND queuedAt IS NULL ORDER BY id`);
  let queued = 0;
  for (const { id } of rows) {
    const broadcast = await findBroadcast(sql, id, ALL_COMMUNES);
    if (broadcast) queued += await queueRecipients(sql, broadcast, now, QUEUE_BATCH_SIZE, smsCarries);
  }
  return queued;
}
