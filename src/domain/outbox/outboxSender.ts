import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { PlatformError } from "./platformError.ts";
import { abortableSleep } from "../../shared/abortableSleep.ts";
import { log } from "../../shared/log.ts";
import { OUTBOX_ROW_COLUMNS, type OutboxRow, type OutboxSettled, type OutboxText } from "./outboxText.ts";
import { isQuiet } from "./quietHours.ts";


/**
 * Kinds sent at any hour: an operator's reply answers what the person has just asked, so it is not
 * held until morning the way reminders and notices are in quiet hours.
 */
const ANY_HOUR_KINDS = ["operator_reply"] as const;

/**
 * Sends a message the bot starts itself on one channel (a chat adapter's notify, an SMS, a phone
 * call). `requestId` is our id of this sending: the outbox row's id, "<id>-<n>" for the n-th resend
 * after a failed delivery (an SMS provider keeps it to refuse a repeat); a call records itself
 * against the `row`. An SMS provider's id of the message comes back to be stored, for its delivery reports.
 */
export type Notify = (externalId: string, text: string, message: { row: OutboxRow; requestId: string }) => Promise<void | { providerId: string | null }>;

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

/** How long stop() waits for the messages in hand before it hands their claims back. */
const STOP_GRACE_MS = 5_000;

const ROW_COLUMNS = OUTBOX_ROW_COLUMNS.join(", ");
const MINE = `claimedBy = ? AND status = 'sending'`;
// A send that finishes after stop() handed its claim back is still recorded, unless another sender has claimed the row since.
const MARK_SENT = `UPDATE OutboxMessage SET status = 'sent', sentAt = ?, lastError = NULL, providerId = COALESCE(?, providerId), updatedAt = ? WHERE id = ? AND claimedBy = ? AND status IN ('sending', 'pending')`;
const MARK_FAILED = `UPDATE OutboxMessage SET status = 'failed', lastError = ?, updatedAt = ? WHERE id = ? AND ${MINE}`;
const RETRY_LATER = `UPDATE OutboxMessage SET status = 'pending', dueAt = ?, lastError = ?, updatedAt = ? WHERE id = ? AND ${MINE}`;
// The sender still works on it (waiting for its chat's turn, or for the platform): the lease goes on.
const RENEW = `UPDATE OutboxMessage SET claimedAt = ? WHERE id = ? AND ${MINE}`;
const TAKE_OVER = `UPDATE OutboxMessage SET status = 'pending', ambiguous = TRUE, updatedAt = ? WHERE status = 'sending' AND claimedAt <= ?`;
const MARK_UNREACHABLE = `UPDATE ChannelIdentity SET unreachable = TRUE, updatedAt = ? WHERE id = ?`;
const CANCEL = `UPDATE OutboxMessage SET status = 'cancelled', lastError = 'no longer applies', updatedAt = ? WHERE id = ? AND ${MINE}`;

/**
 * The statement that claims the next due message for one worker. Several instances may claim at
 * once on PostgreSQL: the row is chosen with FOR UPDATE SKIP LOCKED, so two claims never wait on
 * (or take) the same row, and the outer `status = 'pending'` is checked again on the row as it is
 * when locked. SQLite has one writer at a time and no row locks: the plain subquery is enough.
 */
function claimStatement(dialect: Sql["dialect"], channels: string[], quiet: boolean): string {
  const channelList = channels.map((c) => `'${c.replace(/'/g, "")}'`).join(", ") || "''";
  const kinds = quiet ? ` AND kind IN (${ANY_HOUR_KINDS.map((k) => `'${k}'`).join(", ")})` : "";
  const lock = dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
  return `UPDATE OutboxMessage SET status = 'sending', claimedBy = ?, claimedAt = ?, attempts = attempts + 1, updatedAt = ?
    WHERE status = 'pending' AND id = (SELECT id FROM OutboxMessage WHERE status = 'pending' AND dueAt <= ? AND channel IN (${channelList})${kinds}
                ORDER BY dueAt, id LIMIT 1${lock})
    RETURNING ${ROW_COLUMNS}`;
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
 * worker. Nothing is sent in quiet hours but replies to the person (ANY_HOUR_KINDS). A permanently failing recipient is marked and skipped;
 * the others go on. Every write after the claim checks the claim is still this worker's: a row
 * taken over after its lease belongs to whoever took it. Several instances may send from one
 * PostgreSQL database side by side: each claim takes a row no other claim holds.
 */
export class OutboxSender {
  private readonly claimAny: string;
  private readonly claimQuiet: string;
  private readonly release: string;
  private running = false;
  /** Set by stop(): workers claim nothing more, and the polling loop's wait ends. */
  private readonly stopping = new AbortController();
  private stopped: Promise<number> | null = null;
  /** start()'s loop and any drain() in progress: what stop() waits for. */
  private readonly busy = new Set<Promise<unknown>>();
  private readonly workerIds: string[];

  constructor(
    private readonly sql: Sql,
    private readonly notifiers: Map<string, Notify>,
    private readonly words: OutboxText,
    private readonly clock: () => Date,
    private readonly options: OutboxSenderOptions,
  ) {
    this.workerIds = Array.from({ length: options.workers }, (_, i) => `${options.senderId}#${i}`);
    this.claimAny = claimStatement(sql.dialect, [...notifiers.keys()], false);
    this.claimQuiet = claimStatement(sql.dialect, [...notifiers.keys()], true);
    // Handed back at stop: the attempt did not finish, and the platform may have the message already.
    const max = sql.dialect === "postgres" ? "GREATEST" : "MAX";
    this.release = `UPDATE OutboxMessage SET status = 'pending', attempts = ${max}(attempts - 1, 0), ambiguous = TRUE, updatedAt = ?
       WHERE status = 'sending' AND claimedBy IN (${this.workerIds.map(() => "?").join(", ")})`;
  }

  /** Puts back rows whose sender died mid-send (lease run out): they go again, counted as ambiguous. */
  async recoverAbandoned(): Promise<number> {
    const now = this.clock();
    return (await this.sql.run(TAKE_OVER, [sqlTimestamp(now), sqlTimestamp(new Date(now.getTime() - this.options.leaseMs))])).changes;
  }

  /** Sends everything due now, with the configured number of workers; resolves when nothing due is left (or on stop). */
  drain(): Promise<OutboxCounts> {
    return this.track(this.drainAll());
  }

  private async drainAll(): Promise<OutboxCounts> {
    const counts: OutboxCounts = { sent: 0, failed: 0, retried: 0, skipped: 0 };
    await this.recoverAbandoned();
    const worker = async (index: number) => {
      while (!this.stopping.signal.aborted) {
        const outcome = await this.sendOne(index, isQuiet(this.clock(), this.options.quietHours));
        if (outcome === "none") return;
        counts[outcome]++;
      }
    };
    await Promise.all(this.workerIds.map((_, i) => worker(i)));
    return counts;
  }

  /** Keeps draining every `intervalMs` until stopped. */
  start(intervalMs: number): void {
    if (this.running || this.stopping.signal.aborted) return;
    this.running = true;
    const loop = async () => {
      while (!this.stopping.signal.aborted) {
        try {
          await this.drainAll();
        } catch (error) {
          log.error("outbox sending failed", { error });
        }
        await abortableSleep(intervalMs, this.stopping.signal);
      }
    };
    void this.track(loop());
  }

  /**
   * Claims nothing more, waits up to `graceMs` for the messages in hand, then hands back the claims
   * still held (status pending again), so another instance sends them at once instead of after the
   * lease. Resolves with how many were handed back. Once: later calls get the same answer.
   */
  stop(graceMs = STOP_GRACE_MS): Promise<number> {
    this.stopped ??= (async () => {
      this.stopping.abort();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.allSettled([...this.busy]), grace]);
      clearTimeout(timer);
      return this.releaseClaims();
    })();
    return this.stopped;
  }

  /** Hands back every row this sender's workers hold (also usable on the way out after a deadline: one short statement). */
  async releaseClaims(): Promise<number> {
    const released = (await this.sql.run(this.release, [sqlTimestamp(this.clock()), ...this.workerIds])).changes;
    if (released) log.info("outbox claims handed back for another sender", { released });
    return released;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.busy.add(work);
    void work.finally(() => this.busy.delete(work)).catch(() => undefined);
    return work;
  }

  /** Claims and sends one due message; in quiet hours only those that answer the person (ANY_HOUR_KINDS). */
  private async sendOne(worker: number, quiet: boolean): Promise<keyof OutboxCounts | "none"> {
    const now = this.clock();
    const at = sqlTimestamp(now);
    const claimedBy = this.workerIds[worker];
    const row = await this.sql.get<OutboxRow>(quiet ? this.claimQuiet : this.claimAny, [claimedBy, at, at, at]);
    if (!row) return "none";
    const notify = this.notifiers.get(row.channel)!;
    const text = await this.words.wordsFor(row, now);
    if (text === null) {
      await this.sql.run(CANCEL, [at, row.id, claimedBy]);
      await this.settled(row, "cancelled");
      return "skipped";
    }
    let providerId: string | null = null;
    try {
      await this.keepingClaim(row.id, claimedBy, async () => {
        const requestId = row.deliveryRetries ? `${row.id}-${row.deliveryRetries}` : String(row.id);
        providerId = (await notify(row.externalId, text, { row, requestId }))?.providerId ?? null;
      });
    } catch (error) {
      return this.failed(row, claimedBy, at, error);
    }
    const sentAt = sqlTimestamp(this.clock());
    await this.sql.run(MARK_SENT, [sentAt, providerId, sentAt, row.id, claimedBy]);
    await this.settled(row, "sent");
    return "sent";
  }

  /**
   * Runs `send` while renewing the claim every third of the lease: a message may wait a long time
   * for its turn (the channel's rate, its chat's slot, a platform's retry_after), and a claim that
   * ran out meanwhile would be taken over by another sender and sent twice. A sender that dies
   * stops renewing, and its claim is taken over one lease later.
   */
  private async keepingClaim(id: number, claimedBy: string, send: () => Promise<void>): Promise<void> {
    const renew = setInterval(() => {
      void this.sql.run(RENEW, [sqlTimestamp(this.clock()), id, claimedBy]).catch((error: unknown) => log.warn("outbox claim not renewed", { error }));
    }, Math.max(100, this.options.leaseMs / 3));
    try {
      await send();
    } finally {
      clearInterval(renew);
    }
  }

  /** The platform refused or failed: give up (and mark a blocked recipient), or try again later. */
  private async failed(row: OutboxRow, claimedBy: string, at: string, error: unknown): Promise<"failed" | "retried"> {
    const failure = error instanceof PlatformError ? error.failure : "transient";
    const message = error instanceof Error ? error.message : String(error);
    if (failure === "blocked" || failure === "permanent" || row.attempts >= this.options.maxAttempts) {
      await this.sql.run(MARK_FAILED, [message.slice(0, 500), at, row.id, claimedBy]);
      if (failure === "blocked" && row.identityId !== null) await this.sql.run(MARK_UNREACHABLE, [at, row.identityId]);
      log.warn("outbox message given up", { channel: row.channel, kind: row.kind, failure, attempts: row.attempts });
      await this.settled(row, "failed");
      return "failed";
    }
    // Backoff for whole minutes: the channel sender has already retried within this attempt.
    const later = new Date(this.clock().getTime() + Math.min(60, 2 ** row.attempts) * 60_000);
    await this.sql.run(RETRY_LATER, [sqlTimestamp(later), message.slice(0, 500), at, row.id, claimedBy]);
    return "retried";
  }

  /** A listener's failure must not turn a sent message into a failed one (it would be sent again). */
  private async settled(row: OutboxRow, status: Parameters<OutboxSettled>[1]): Promise<void> {
    try {
      await this.options.onSettled?.(row, status);
    } catch (error) {
      log.error("outbox listener failed", { kind: row.kind, status, error });
    }
  }
}
