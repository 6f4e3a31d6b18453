import type { Readiness } from "../../../readiness.ts";
import type { RequestHandler } from "express";
import type { EscalationDesk } from "../../../../domain/escalations/escalationDesk.ts";
import type { EscalationEvent } from "../../../../domain/escalations/escalationEvents.ts";
import { CursorError } from "../../../../domain/escalations/escalationQueues.ts";
import { consoleOf } from "../../area.ts";
import { deskScope } from "./queue.ts";

export interface LiveOptions {
  /** A comment line this often keeps proxies and the browser from closing a quiet stream. */
  heartbeatMs?: number;
  /**
   * A stream ends after this long and the browser opens a new one: each new one passes the session
   * check again, so a logout or a disabled account stops the updates.
   */
  maxStreamMs?: number;
}

const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 5 * 60_000;
/** How long the browser waits before opening the stream again. */
const RETRY_MS = 3_000;

/** What a page is told: which escalation changed and how, by ids only (never a name, a number or words). */
function forPage(event: EscalationEvent): Pick<EscalationEvent, "type" | "id" | "status" | "messageId" | "kind"> {
  const { type, id, status, messageId, kind } = event;
  return { type, id, ...(status === undefined ? {} : { status }), ...(messageId === undefined ? {} : { messageId }), ...(kind === undefined ? {} : { kind }) };
}

/**
 * GET /console/escalations/events: Server-Sent Events, one `escalation` event each time the desk's
 * hub publishes a change the person may see (their communes' escalations), with heartbeats; the
 * subscription ends when the page goes away.
 */
export function escalationEvents(desk: EscalationDesk, readiness: Pick<Readiness, "onStopping">, options: LiveOptions = {}): RequestHandler {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const maxStreamMs = options.maxStreamMs ?? MAX_STREAM_MS;
  return (req, res) => {
    const { scope } = consoleOf(res);
    res.status(200).set({ "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
    res.flushHeaders();
    res.write(`retry: ${RETRY_MS}\n\n`);
    const unsubscribe = desk.events.subscribe((event) => {
      if (scope.allowsCommune(event.communeId)) res.write(`event: escalation\ndata: ${JSON.stringify(forPage(event))}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), heartbeatMs);
    const lifetime = setTimeout(() => res.end(), maxStreamMs);
    // When the service stops, the stream ends (the page reconnects, to another instance or later)
    // rather than hold the shutdown until its deadline.
    const offStopping = readiness.onStopping(() => res.end());
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      offStopping();
      unsubscribe();
    };
    req.on("close", stop);
    res.on("close", stop);
  };
}

/**
 * GET /console/escalations/changes?cursor=…: the ids of escalations changed since the cursor (in the
 * person's scope) and the next cursor, for a page whose event stream does not work, or that is
 * served by another instance sharing the database.
 */
export function escalationChanges(desk: EscalationDesk): RequestHandler {
  return async (req, res) => {
    const { scope } = consoleOf(res);
    const cursor = req.query.cursor;
    if (cursor !== undefined && (typeof cursor !== "string" || cursor.length > 200)) return void res.status(400).json({ error: "cursor: pass back the cursor of the last answer" });
    try {
      const changes = await desk.changesSince(cursor || null, deskScope(scope));
      res.json({ cursor: changes.cursor, ids: changes.escalations.map((e) => e.id) });
    } catch (error) {
      if (!(error instanceof CursorError)) throw error;
      res.status(400).json({ error: error.message });
    }
  };
}
