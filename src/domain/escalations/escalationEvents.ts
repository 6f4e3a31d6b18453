import { EventEmitter } from "node:events";
import { log } from "../../shared/log.ts";

const ESCALATION_EVENT_TYPES = ["escalation.created", "escalation.updated", "escalation.message"] as const;
type EscalationEventType = (typeof ESCALATION_EVENT_TYPES)[number];

/**
 * What changed, without the change itself: a page that shows escalations (filtered to the
 * communes its user may see, by `communeId`) reloads what it needs. Personal data never travels
 * in an event.
 */
export interface EscalationEvent {
  type: EscalationEventType;
  /** The escalation's id. */
  id: number;
  /** The commune of the person the escalation is about; null when the person was not identified. */
  communeId: number | null;
  /** escalation.updated: the status after the change. */
  status?: string;
  /** escalation.message: the EscalationMessage added or whose delivery changed. */
  messageId?: number;
  /** escalation.message: person | operator_reply | note | system. */
  kind?: string;
}

/**
 * The in-process hub the console's pages stream from (Server-Sent Events). It only reaches pages
 * served by this process: where several instances share one database, the relay
 * (escalationRelay.ts) publishes here the changes the other instances made.
 */
export class EscalationEvents extends EventEmitter {
  constructor() {
    super();
    // One listener per open console page: many pages are normal, not a leak.
    this.setMaxListeners(0);
  }

  /**
   * Tells the listeners on a microtask. The desk publishes after its transaction committed; a
   * change made inside another's transaction (a conversation step's) may be published before that
   * commits, and the relay (escalationRelay.ts) publishes it again once it is in the database. A
   * failing listener is logged and cannot undo the change or silence the other listeners.
   */
  publish(event: EscalationEvent): void {
    queueMicrotask(() => {
      for (const listener of this.listeners(event.type)) {
        try {
          (listener as (event: EscalationEvent) => void)(event);
        } catch (error) {
          log.error("escalation event listener failed", { type: event.type, error });
        }
      }
    });
  }

  /** True while a page (or anything) listens: the relay polls only then. */
  hasListeners(): boolean {
    return ESCALATION_EVENT_TYPES.some((type) => this.listenerCount(type) > 0);
  }

  /** Listens to every escalation event; returns the function that stops listening. */
  subscribe(listener: (event: EscalationEvent) => void): () => void {
    for (const type of ESCALATION_EVENT_TYPES) this.on(type, listener);
    return () => {
      for (const type of ESCALATION_EVENT_TYPES) this.off(type, listener);
    };
  }
}
