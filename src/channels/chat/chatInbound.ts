import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";
import type { ConversationService } from "../../domain/conversationService.ts";
import type { Turn } from "../../engine/types.ts";
import { log } from "../../shared/log.ts";
import { PlatformError } from "../platformError.ts";
import type { ChatAdapter, ChatEvent } from "./chatAdapter.ts";
import type { InboundLog } from "./inboundLog.ts";

const MAX_ATTEMPTS = 5;

/**
 * Takes updates from a chat platform (webhook or long polling), records each before handling it,
 * refuses resends, runs the conversation and delivers the answer. One person's updates are
 * handled one after another, in arrival order; different people's run side by side.
 */
export class ChatInbound<Update, Output> {
  private readonly queues = new Map<string, Promise<void>>();
  /** Updates being handled now: the retry loop must not pick them up a second time. */
  private readonly inFlight = new Set<number>();
  private readonly markUnreachable;

  constructor(
    private readonly adapter: ChatAdapter<Update, Output>,
    private readonly conversations: ConversationService,
    private readonly inboundLog: InboundLog,
    sql: Database.Database,
    private readonly clock: () => Date,
  ) {
    this.markUnreachable = sql.prepare(`UPDATE ChannelIdentity SET unreachable = 1, updatedAt = ? WHERE channel = ? AND externalId = ?`);
  }

  /**
   * Records the update and starts handling it. `duplicate` when the platform sent it before;
   * `ignored` when it is not a conversation message. `handled` settles when the answer is out.
   */
  receive(update: Update): { status: "accepted" | "duplicate" | "ignored"; handled: Promise<void> } {
    const event = this.adapter.normalize(update);
    if (!event) return { status: "ignored", handled: Promise.resolve() };
    const id = this.inboundLog.record(this.adapter.channel, event.updateKey, update, this.clock());
    if (id === null) return { status: "duplicate", handled: Promise.resolve() };
    return { status: "accepted", handled: this.enqueue(id, event) };
  }

  /**
   * Handles updates left behind by a failure or a crash (called periodically, and at start).
   * Updates being handled right now in this process are left alone, even when slow (a 429 wait).
   */
  async retryPending(olderThanMs = 10_000): Promise<number> {
    const due = this.inboundLog
      .pending(this.adapter.channel, new Date(this.clock().getTime() - olderThanMs), 100)
      .filter((row) => !this.inFlight.has(row.id));
    await Promise.all(
      due.map((row) => {
        const event = this.adapter.normalize(JSON.parse(row.payload) as Update);
        if (!event) {
          this.inboundLog.markDone(row.id, this.clock());
          return Promise.resolve();
        }
        return this.enqueue(row.id, event, row.answer === null ? undefined : (JSON.parse(row.answer) as Output));
      }),
    );
    return due.length;
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
            conversation: { channel, userId: event.userId, phone: event.kind === "contact" ? event.phone : undefined },
            turn: turnFor(event),
            // A crash right after the step was saved: the same update again answers from what was stored.
            requestKey: `${channel}:${event.updateKey}`,
          },
          this.adapter.renderer,
        ));
        this.inboundLog.markAnswered(id, output);
      }
      await this.adapter.deliver(event, output as Output);
      this.inboundLog.markDone(id, this.clock());
    } catch (error) {
      if (error instanceof PlatformError && error.failure === "blocked") {
        this.markUnreachable.run(sqlTimestamp(this.clock()), channel, event.userId);
        this.inboundLog.markDone(id, this.clock());
        log.warn("recipient blocked the bot: marked unreachable", { channel });
        return;
      }
      this.inboundLog.markFailed(id, error instanceof Error ? error.message : String(error), MAX_ATTEMPTS, this.clock());
      log.error("chat update failed; it stays recorded and will be retried", { channel, error });
    }
  }
}

function turnFor(event: ChatEvent): Turn {
  if (event.kind === "contact") return { kind: "contact" };
  if (event.kind === "unreadable") return { kind: "unreadable" };
  return { kind: "input", text: event.text ?? "" };
}
