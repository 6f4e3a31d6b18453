import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";
import { PlatformError } from "../../channels/platformError.ts";
import { log } from "../../shared/log.ts";
import type { OutboxRow, OutboxSettled, OutboxText } from "./outboxText.ts";
import { isQuiet } from "./quietHours.ts";

/** Sends a message the bot starts itself on one channel (a chat adapter's notify; an SMS gateway later). */
export type Notify = (externalId: string, text: string) => Promise<void>;

export interface OutboxSenderOptions {
  /** Sending loops running side by side; each holds at most one message between "sent" and "recorded". */
  workers: number;
  /** A row claimed longer ago than this is taken to be abandoned by a dead sender and sent again. */
  leaseMs: number;
  quietHours: { from: number; to: number };
  /** After this many failed attempts a message is given up (status failed) and reported. */
  maxAttempts: number;
  /** Names this process's claims. */
  senderId: string;
  /** Told of every row sent, given up or cancelled (an operator's reply shows its delivery). */
  onSettled?: OutboxSettled;
}

export interface OutboxCounts {
  sent: number;
  failed: number;
  retried: number;
  skipped: number;
}

/**
 * Delivers the outbox: claims one due message at a time (status "sending"), sends it through its
 * channel, then records it sent. Killed at any moment, it loses nothing: a claimed row whose
 * lease ran out is sent again, flagged ambiguous, because the crash may have fallen between the
 * platform accepting it and the database recording it. That window holds at most one message per
 * worker. Nothing is sent in quiet hours. A permanently failing recipient is marked and skipped;
 * the others go on.
 */
export class OutboxSender {
  private readonly claim;
  private readonly markSent;
  private readonly markFailed;
  private readonly retryLater;
  private readonly release;
  private readonly takeOver;
  private readonly markUnreachable;
  private readonly cancel;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    sql: Database.Database,
    private readonly notifiers: Map<string, Notify>,
    private readonly words: OutboxText,
    private readonly clock: () => Date,
    private readonly options: OutboxSenderOptions,
  ) {
    const channels = [...notifiers.keys()].map((c) => `'${c.replace(/'/g, "")}'`).join(", ") || "''";
    this.claim = sql.prepare<[string, string, string, string], OutboxRow>(
      `UPDATE OutboxMessage SET status = 'sending', claimedBy = ?, claimedAt = ?, attempts = attempts + 1, updatedAt = ?
       WHERE id = (SELECT id FROM OutboxMessage WHERE status = 'pending' AND dueAt <= ? AND channel IN (${channels}) ORDER BY dueAt, id LIMIT 1)
       RETURNING id, channel, externalId, identityId, paymentId, methodChangeId, kind, locale, text, attempts`,
    );
    this.markSent = sql.prepare(`UPDATE OutboxMessage SET status = 'sent', sentAt = ?, lastError = NULL, updatedAt = ? WHERE id = ? AND status = 'sending'`);
    this.markFailed = sql.prepare(`UPDATE OutboxMessage SET status = 'failed', lastError = ?, updatedAt = ? WHERE id = ?`);
    this.retryLater = sql.prepare(`UPDATE OutboxMessage SET status = 'pending', dueAt = ?, lastError = ?, updatedAt = ? WHERE id = ?`);
    this.release = sql.prepare(`UPDATE OutboxMessage SET status = 'pending', attempts = attempts - 1, updatedAt = ? WHERE status = 'sending' AND claimedBy = ?`);
    this.takeOver = sql.prepare(
      `UPDATE OutboxMessage SET status = 'pending', ambiguous = 1, updatedAt = ? WHERE status = 'sending' AND claimedAt <= ?`,
    );
    this.markUnreachable = sql.prepare(`UPDATE ChannelIdentity SET unreachable = 1, updatedAt = ? WHERE id = ?`);
    this.cancel = sql.prepare(`UPDATE OutboxMessage SET status = 'cancelled', lastError = 'no longer applies', updatedAt = ? WHERE id = ?`);
  }

  /** Puts back rows whose sender died mid-send (lease run out): they go again, counted as ambiguous. */
  recoverAbandoned(): number {
    const now = this.clock();
    return this.takeOver.run(sqlTimestamp(now), sqlTimestamp(new Date(now.getTime() - this.options.leaseMs))).changes;
  }

  /** Sends everything due now, with the configured number of workers; resolves when nothing due is left. */
  async drain(): Promise<OutboxCounts> {
    const counts: OutboxCounts = { sent: 0, failed: 0, retried: 0, skipped: 0 };
    this.recoverAbandoned();
    if (isQuiet(this.clock(), this.options.quietHours)) return counts;
    const worker = async (index: number) => {
      while (!isQuiet(this.clock(), this.options.quietHours)) {
        const outcome = await this.sendOne(index);
        if (outcome === "none") return;
        counts[outcome]++;
      }
    };
    await Promise.all(Array.from({ length: this.options.workers }, (_, i) => worker(i)));
    return counts;
  }

  /** Keeps draining every `intervalMs` until stopped. */
  start(intervalMs: number): void {
    if (this.running) return;
    this.running = true;
    const loop = async () => {
      while (this.running) {
        try {
          await this.drain();
        } catch (error) {
          log.error("outbox sending failed", { error });
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs).unref());
      }
    };
    this.loops.push(loop());
  }

  /** Stops after the messages in hand; hands back claims not yet sent. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.race([Promise.all(this.loops), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    this.release.run(sqlTimestamp(this.clock()), this.options.senderId);
  }

  private async sendOne(worker: number): Promise<keyof OutboxCounts | "none"> {
    const now = this.clock();
    const at = sqlTimestamp(now);
    const row = this.claim.get(`${this.options.senderId}#${worker}`, at, at, at);
    if (!row) return "none";
    const notify = this.notifiers.get(row.channel)!;
    const text = this.words.wordsFor(row, now);
    if (text === null) {
      this.cancel.run(at, row.id);
      this.settled(row, "cancelled");
      return "skipped";
    }
    try {
      await notify(row.externalId, text);
      const sentAt = sqlTimestamp(this.clock());
      this.markSent.run(sentAt, sentAt, row.id);
      this.settled(row, "sent");
      return "sent";
    } catch (error) {
      const failure = error instanceof PlatformError ? error.failure : "transient";
      const message = error instanceof Error ? error.message : String(error);
      if (failure === "blocked" || failure === "permanent" || row.attempts >= this.options.maxAttempts) {
        this.markFailed.run(message.slice(0, 500), at, row.id);
        if (failure === "blocked" && row.identityId !== null) this.markUnreachable.run(at, row.identityId);
        log.warn("outbox message given up", { channel: row.channel, kind: row.kind, failure, attempts: row.attempts });
        this.settled(row, "failed");
        return "failed";
      }
      // Backoff for whole minutes: the channel sender has already retried within this attempt.
      const later = new Date(this.clock().getTime() + Math.min(60, 2 ** row.attempts) * 60_000);
      this.retryLater.run(sqlTimestamp(later), message.slice(0, 500), at, row.id);
      return "retried";
    }
  }

  /** A listener's failure must not turn a sent message into a failed one (it would be sent again). */
  private settled(row: OutboxRow, status: Parameters<OutboxSettled>[1]): void {
    try {
      this.options.onSettled?.(row, status);
    } catch (error) {
      log.error("outbox listener failed", { kind: row.kind, status, error });
    }
  }
}
