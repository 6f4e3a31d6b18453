import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { databaseError, DatabaseUnavailable } from "../../db/databaseUnavailable.ts";
import type { ConversationService } from "../../domain/conversationService.ts";
import type { Turn } from "../../engine/types.ts";
import { log } from "../../shared/log.ts";
import { PlatformError } from "../../domain/outbox/platformError.ts";
import type { ChatAdapter, ChatEvent } from "./chatAdapter.ts";
import type { InboundLog } from "./inboundLog.ts";

const MAX_ATTEMPTS = 5;
const MARK_UNREACHABLE = `UPDATE ChannelIdentity SET unreachable = TRUE, updatedAt = ? WHERE channel = ? AND externalId = ?`;

/**
 * Takes updates from a chat platform (webhook or long polling), records each before handling it,
 * refuses resends, runs the conversation and delivers the answer. One person's updates are
 * handled one after another, in arrival order; different people's run side by side. With several
 * instances on one database, each update is handled by one of them: the one that received it, or
 * the retry loop that claimed it (InboundLog.claim).
 */
export class ChatInbound<Update, Output> {
  private readonly queues = new Map<string, Promise<void>>();
  /** Updates being handled now: the retry loop must not pick them up a second time. */
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly adapter: ChatAdapter<Update, Output>,
    private readonly conversations: Pick<ConversationService, "handle">,
    private readonly inboundLog: InboundLog,
    private readonly sql: Sql,
    private readonly clock: () => Date,
  ) {}

  /**
   * Records the update and starts handling it. `duplicate` when the platform sent it before;
   * `ignored` when it is not a conversation message. `handled` settles when the answer is out.
   */
  async receive(update: Update): Promise<{ status: "accepted" | "duplicate" | "ignored"; handled: Promise<void> }> {
    const event = this.adapter.normalize(update);
    if (!event) return { status: "ignored", handled: Promise.resolve() };
    const id = await this.inboundLog.record(this.adapter.channel, event.updateKey, update, this.clock());
    if (id === null) return { status: "duplicate", handled: Promise.resolve() };
    return { status: "accepted", handled: this.enqueue(id, event) };
  }

  /**
   * Handles updates left behind by a failure or a crash (called periodically, and at start).
   * Updates being handled right now in this process are left alone, even when slow (a 429 wait);
   * so are those another instance holds. Each update is claimed before it is handled, so two
   * instances retrying at once answer it once. Resolves with how many this call took.
   */
  async retryPending(olderThanMs = 10_000): Promise<number> {
    const now = this.clock();
    const due = (await this.inboundLog.pending(this.adapter.channel, new Date(now.getTime() - olderThanMs), 100, now)).filter((row) => !this.inFlight.has(row.id));
    const handled: Promise<void>[] = [];
    let claimed = 0;
    for (const candidate of due) {
      if (this.inFlight.has(candidate.id)) continue;
      const row = await this.inboundLog.claim(candidate.id, this.clock());
      if (!row) continue; // another instance has it, or has finished it
      claimed++;
      const event = this.adapter.normalize(JSON.parse(row.payload) as Update);
      if (!event) {
        await this.inboundLog.markDone(row.id, this.clock());
        continue;
      }
      handled.push(this.enqueue(row.id, event, row.answer === null ? undefined : (JSON.parse(row.answer) as Output)));
    }
    await Promise.all(handled);
    return claimed;
  }

  private enqueue(id: number, event: ChatEvent, storedAnswer?: Output): Promise<void> {
    this.inFlight.add(id);
    const previous = this.queues.get(event.userId) ?? Promise.resolve();
    const next = previous.then(() => this.handle(id, event, storedAnswer)).finally(() => this.inFlight.delete(id));
    this.queues.set(event.userId, next);
    void next.finally(() => {
      if (this.queues.get(event.userId) === next) this.queues.delete(event.userId);
    });
    return next;
  }

  private async handle(id: number, event: ChatEvent, storedAnswer?: Output): Promise<void> {
    const channel = this.adapter.channel;
    try {
      let output = storedAnswer;
      if (output === undefined) {
        ({ output } = await this.conversations.handle(
          {
            conversation: { channel, userId: event.userId, phone: event.networkPhone ?? (event.kind === "contact" ? event.phone : undefined) },
            turn: turnFor(event),
            // A crash right after the step was saved: the same update again answers from what was stored.
            requestKey: `${channel}:${event.updateKey}`,
          },
          this.adapter.renderer,
        ));
        await this.inboundLog.markAnswered(id, output);
      }
      await this.adapter.deliver(event, output as Output);
      await this.inboundLog.markDone(id, this.clock());
    } catch (error) {
      if (error instanceof PlatformError && error.failure === "blocked") {
        await this.sql.run(MARK_UNREACHABLE, [sqlTimestamp(this.clock()), channel, event.userId]);
        await this.inboundLog.markDone(id, this.clock());
        log.warn("recipient blocked the bot: marked unreachable", { channel });
        return;
      }
      await this.inboundLog.markFailed(id, error instanceof Error ? error.message : String(error), MAX_ATTEMPTS, this.clock()).catch((failure) => {
        log.error("recording a failed chat update failed", { channel, error: failure });
      });
      const failure = databaseError(error);
      if (failure instanceof DatabaseUnavailable) log.warn("chat update failed: database unavailable; it stays recorded and will be retried", { channel, reason: failure.reason, code: failure.code });
      else log.error("chat update failed; it stays recorded and will be retried", { channel, error });
    }
  }
}

function turnFor(event: ChatEvent): Turn {
  if (event.kind === "contact") return { kind: "contact" };
  if (event.kind === "unreadable") return { kind: "unreadable" };
  return { kind: "input", text: event.text ?? "" };
}
