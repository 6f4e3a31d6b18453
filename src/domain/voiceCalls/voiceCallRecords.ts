import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { OutboxRow, OutboxText } from "../outbox/outboxText.ts";

/** How an outbound call ended, as the provider tells it. */
export type CallOutcome = "answered" | "no_answer" | "busy" | "failed";

/** The suffix of a retried call's outbox row, and of the SMS sent when the retry is not answered either. */
const RETRY_SUFFIX = ":call-retry";
const SMS_SUFFIX = ":sms";

const INSERT_CALL = `INSERT INTO VoiceCall (outboxMessageId, provider, providerCallId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)`;
const ROW_OF_CALL = `SELECT o.id, o.channel, o.externalId, o.identityId, o.paymentId, o.methodChangeId, o.kind, o.locale, o.text, o.attempts
  FROM VoiceCall c JOIN OutboxMessage o ON o.id = c.outboxMessageId WHERE c.providerCallId = ?`;
// Only the first report counts: a provider may repeat its callback.
const SET_OUTCOME = `UPDATE VoiceCall SET outcome = ?, updatedAt = ? WHERE providerCallId = ? AND outcome IS NULL RETURNING outboxMessageId`;
const FOLLOW_UP = `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, beneficiaryId, paymentId, broadcastId, methodChangeId, kind, locale, text, dueAt, status, createdAt, updatedAt)
  SELECT @dedupeKey, @channel, externalId, @identityId, beneficiaryId, paymentId, broadcastId, methodChangeId, kind, locale, text, @dueAt, 'pending', @at, @at
  FROM OutboxMessage WHERE id = @id
  ON CONFLICT(dedupeKey) DO NOTHING`;

export interface VoiceCallPolicy {
  /** How long after an unanswered call it is tried again (once). */
  retryMinutes: number;
  /** Whether an SMS channel is configured to carry the message when the retry is not answered either. */
  smsFallback: boolean;
}

/**
 * Outbound calls as the database keeps them: each call placed for an outbox row, how it ended,
 * and what follows an unanswered one: one more call later, then an SMS to the same phone (an
 * outbox row on channel "sms", where an SMS channel is configured; without one the person is left
 * unreached, counted on the dashboard by the calls' outcomes, and hears it at their next call).
 */
export class VoiceCallRecords {
  constructor(
    private readonly sql: Sql,
    private readonly words: OutboxText,
    private readonly policy: VoiceCallPolicy,
  ) {}

  placed(outboxMessageId: number, provider: string, providerCallId: string, now: Date): Promise<unknown> {
    const at = sqlTimestamp(now);
    return this.sql.run(INSERT_CALL, [outboxMessageId, provider, providerCallId, at, at]);
  }

  /** The words of the message a call reads out (again, when the person presses 1), or null for an unknown call. */
  async wordsOf(providerCallId: string, now: Date): Promise<{ text: string; locale: string } | null> {
    const row = await this.sql.get<OutboxRow>(ROW_OF_CALL, [providerCallId]);
    if (!row) return null;
    const text = await this.words.wordsFor(row, now);
    return text === null ? null : { text, locale: row.locale };
  }

  /** Records how a call ended; an unanswered first call is retried, an unanswered retry becomes an SMS. */
  async ended(providerCallId: string, outcome: CallOutcome, now: Date): Promise<"recorded" | "retry" | "sms" | "unreached" | "unknown"> {
    return this.sql.transaction(async () => {
      const at = sqlTimestamp(now);
      const call = await this.sql.get<{ outboxMessageId: number }>(SET_OUTCOME, [outcome, at, providerCallId]);
      if (!call) return "unknown";
      if (outcome === "answered") return "recorded";
      const row = await this.sql.get<{ dedupeKey: string; identityId: number | null }>("SELECT dedupeKey, identityId FROM OutboxMessage WHERE id = ?", [call.outboxMessageId]);
      if (!row) return "unknown";
      if (!row.dedupeKey.endsWith(RETRY_SUFFIX)) {
        const dueAt = sqlTimestamp(new Date(now.getTime() + this.policy.retryMinutes * 60_000));
        await this.sql.run(FOLLOW_UP, { dedupeKey: row.dedupeKey + RETRY_SUFFIX, channel: "voice", identityId: row.identityId, dueAt, at, id: call.outboxMessageId });
        return "retry";
      }
      // No SMS channel: a row on channel "sms" would wait for ever.
      if (!this.policy.smsFallback) return "unreached";
      // The SMS goes to the same phone; it belongs to no chat identity, so a reply there is the SMS channel's own.
      const root = row.dedupeKey.slice(0, -RETRY_SUFFIX.length);
      await this.sql.run(FOLLOW_UP, { dedupeKey: root + SMS_SUFFIX, channel: "sms", identityId: null, dueAt: at, at, id: call.outboxMessageId });
      return "sms";
    });
  }
}
