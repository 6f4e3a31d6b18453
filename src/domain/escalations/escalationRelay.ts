import { log } from "../../shared/log.ts";
import type { EscalationChanges, QueueOptions } from "./escalationQueues.ts";
import type { EscalationEvents } from "./escalationEvents.ts";

/** How often an instance with open console pages looks for changes made by other instances. */
const RELAY_POLL_MS = 2_000;
const PAGE = 200;

interface ChangeSource {
  changesSince(cursor: string | null | undefined, options?: Omit<QueueOptions, "offset">): Promise<EscalationChanges>;
  latestCursor(): Promise<string>;
}

/**
 * Tells this instance's console pages of changes another instance made. Events only travel
 * inside one process; where several instances share one database (issue 7), an operator whose
 * page streams from instance B must still see the person's message that arrived on instance A.
 * So while the hub has listeners, the relay asks the database what changed since it last looked
 * (`changesSince`, whose cursor misses nothing: see escalationActivity.ts) and publishes an
 * `escalation.updated` for each. Changes this instance made come round again: a page reloads
 * twice, which is harmless, where a missed change is not. It also covers the events published
 * inside a conversation's transaction, before that transaction committed.
 */
export class EscalationRelay {
  private cursor: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The look under way (or the last one): looks run one after another, never two at once. */
  private looking: Promise<void> = Promise.resolve();
  private timerLookPending = false;

  constructor(
    private readonly source: ChangeSource,
    private readonly events: EscalationEvents,
    private readonly pollMs = RELAY_POLL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.timerLookPending) return; // a slow database: skip a beat rather than queue looks
      this.timerLookPending = true;
      void this.tick()
        .catch((error) => log.error("escalation relay failed", { error }))
        .finally(() => (this.timerLookPending = false));
    }, this.pollMs);
    this.timer.unref();
  }

  /** Stops polling; a look under way finishes (awaited). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.looking;
  }

  /** One look at the database, after any under way: publishes what changed since the last. Exposed for tests. */
  tick(): Promise<void> {
    const look = this.looking.then(() => this.look());
    this.looking = look.catch(() => {});
    return look;
  }

  private async look(): Promise<void> {
    if (!this.events.hasListeners()) {
      this.cursor = null; // nobody watches: start again from the latest change when somebody does
      return;
    }
    if (this.cursor === null) {
      this.cursor = await this.source.latestCursor();
      return;
    }
    for (;;) {
      const changes = await this.source.changesSince(this.cursor, { limit: PAGE });
      this.cursor = changes.cursor;
      for (const e of changes.escalations) this.events.publish({ type: "escalation.updated", id: e.id, communeId: e.communeId, status: e.status });
      if (changes.escalations.length < PAGE) return;
    }
  }
}
