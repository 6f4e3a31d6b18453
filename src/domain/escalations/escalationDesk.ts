import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { auditWriter, type WriteAudit } from "../audit.ts";
import type { OutboxRow, OutboxSettled } from "../outbox/outboxText.ts";
import type { PaymentStore } from "../store/paymentStore.ts";
import type { PeopleStore } from "../store/peopleStore.ts";
import { lockActivity } from "./escalationActivity.ts";
import { EscalationDetails, type EscalationDetail } from "./escalationDetail.ts";
import type { EscalationEvent, EscalationEvents } from "./escalationEvents.ts";
import { deliveryOfOutboxStatus, EscalationMessages, SYSTEM_EVENTS } from "./escalationMessages.ts";
import { EscalationRelay } from "./escalationRelay.ts";
import { EscalationQueues, type EscalationChanges, type EscalationSummary, type QueueCounts, type QueueOptions } from "./escalationQueues.ts";

type DeskError =
  /** A missing or too long text, reason or username. */
  | "invalid"
  | "not_found"
  /** Claimed by another operator: only they may answer, hand back or resolve it. */
  | "claimed_by_other"
  /** Not claimed (still open): claim it before answering or handing back. */
  | "not_claimed"
  | "resolved"
  /** Handed back already: the bot answers the person. */
  | "already_with_bot";

export type DeskResult =
  | { ok: true; escalation: EscalationSummary; messageId?: number }
  | { ok: false; error: DeskError; message: string; status?: string; assignedTo?: string | null };

type Refusal = Extract<DeskResult, { ok: false }>;

/** What an action changed: the event to publish (null when nothing changed), and the message it added. */
interface ActionDone {
  event: Omit<EscalationEvent, "id" | "communeId"> | null;
  messageId?: number;
}

/** Longest texts taken: a reply must stay readable on a chat (and is paged on USSD); a reason is a line in a list. */
export const MAX_REPLY_LENGTH = 1000;
export const MAX_NOTE_LENGTH = 2000;
export const MAX_REASON_LENGTH = 500;
const MAX_USERNAME_LENGTH = 100;

/** The outbox kind of an operator's reply (worded by OutboxText, sent by OutboxSender, shown on USSD by NoticeBoard). */
const OPERATOR_REPLY_KIND = "operator_reply";

interface Facts {
  id: number;
  channel: string;
  externalId: string;
  beneficiaryId: number | null;
  communeId: number | null;
  status: string;
  assignedTo: string | null;
  handedBackAt: string | null;
}

const FACTS = `SELECT e.id, e.channel, e.externalId, e.beneficiaryId, b.communeId, e.status, e.assignedTo, e.handedBackAt
  FROM Escalation e LEFT JOIN Beneficiary b ON b.id = e.beneficiaryId WHERE e.id = ?`;
const COMMUNE = `SELECT b.communeId FROM Escalation e LEFT JOIN Beneficiary b ON b.id = e.beneficiaryId WHERE e.id = ?`;
// The status condition makes the claim atomic: of two operators claiming at once (in one process
// or two, on SQLite or PostgreSQL, where the second UPDATE waits for the first's row and then finds
// the status changed), one changes the row.
const CLAIM = `UPDATE Escalation SET status = 'claimed', assignedTo = @user, claimedAt = @at, handedBackAt = NULL, updatedAt = @at
  WHERE id = @id AND status = 'open'`;
const RETAKE = `UPDATE Escalation SET handedBackAt = NULL WHERE id = ?`;
const HAND_BACK = `UPDATE Escalation SET handedBackAt = @at, updatedAt = @at WHERE id = @id AND status = 'claimed' AND handedBackAt IS NULL`;
const RESOLVE = `UPDATE Escalation SET status = 'resolved', resolvedAt = @at, resolution = @reason, assignedTo = COALESCE(assignedTo, @user), updatedAt = @at
  WHERE id = @id AND status != 'resolved'`;
const IDENTITY = `SELECT id, locale FROM ChannelIdentity WHERE channel = ? AND externalId = ?`;
const QUEUE_REPLY = `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, beneficiaryId, kind, locale, text, dueAt, status, createdAt, updatedAt)
  VALUES (@dedupeKey, @channel, @externalId, @identityId, @beneficiaryId, '${OPERATOR_REPLY_KIND}', @locale, @text, @at, 'pending', @at, @at) RETURNING id`;

export interface EscalationDeskDeps {
  sql: Sql;
  events: EscalationEvents;
  people: PeopleStore;
  payments: PaymentStore;
  clock: () => Date;
  /** How often the relay looks for other instances' changes (RELAY_POLL_MS by default). */
  relayPollMs?: number;
}

/**
 * The operator inbox: the queues, an escalation's detail, and what an operator does with it.
 * Claim, reply, note, resolve and hand back each check the escalation's state and change it in one
 * transaction with its audit entry (actor "staff", the operator's username), then tell the event
 * hub. A reply is queued in the outbox, which sends it on the person's own chat channel (rate
 * limited, resent after a crash) or, on USSD, shows it at their next dial.
 */
export class EscalationDesk {
  readonly events: EscalationEvents;
  /** Publishes on `events` the changes other instances on the same database made: started by the service. */
  readonly relay: EscalationRelay;
  private readonly payments: PaymentStore;
  private readonly sql: Sql;
  private readonly clock: () => Date;
  private readonly queues: EscalationQueues;
  private readonly details: EscalationDetails;
  private readonly messages: EscalationMessages;
  private readonly audit: WriteAudit;

  constructor({ sql, events, people, payments, clock, relayPollMs }: EscalationDeskDeps) {
    this.sql = sql;
    this.events = events;
    this.payments = payments;
    this.clock = clock;
    this.queues = new EscalationQueues(sql, clock);
    this.messages = new EscalationMessages(sql);
    this.details = new EscalationDetails(sql, this.queues, this.messages, people, payments);
    this.audit = auditWriter(sql);
    this.relay = new EscalationRelay({ changesSince: (cursor, options) => this.queues.changesSince(cursor, options), latestCursor: () => this.queues.latestCursor() }, events, relayPollMs);
  }

  // ---- Queues and detail ----

  /** Open and claimed by nobody, the longest waiting first (with `waitingSeconds`). */
  unassigned(options?: QueueOptions): Promise<EscalationSummary[]> {
    return this.queues.unassigned(options);
  }

  /** Claimed by `user`, not resolved; includes those handed back to the bot. */
  mine(user: string, options?: QueueOptions): Promise<EscalationSummary[]> {
    return this.queues.mine(user, options);
  }

  /** Every escalation not resolved, open or claimed by anyone. */
  all(options?: QueueOptions): Promise<EscalationSummary[]> {
    return this.queues.all(options);
  }

  resolved(options?: QueueOptions): Promise<EscalationSummary[]> {
    return this.queues.resolved(options);
  }

  /** How many each queue holds (`mine` being `user`'s): for the tabs. */
  counts(user: string, options?: Pick<QueueOptions, "communeIds">): Promise<QueueCounts> {
    return this.queues.counts(user, options);
  }

  get(id: number): Promise<EscalationSummary | undefined> {
    return this.queues.one(id);
  }

  /** The escalation, the whole conversation, the person's payments and method (masked), and earlier escalations. */
  detail(id: number): Promise<EscalationDetail | undefined> {
    return this.details.read(id);
  }

  /** For polling where events do not reach (another instance on the same database): see EscalationQueues.changesSince. */
  changesSince(cursor: string | null | undefined, options?: Omit<QueueOptions, "offset">): Promise<EscalationChanges> {
    return this.queues.changesSince(cursor, options);
  }

  /** Where a page that has just read the queues starts polling `changesSince` from. */
  latestCursor(options?: Pick<QueueOptions, "communeIds">): Promise<string> {
    return this.queues.latestCursor(options);
  }

  // ---- What an operator does ----

  /** Takes an open escalation. Of two operators claiming at once exactly one succeeds; the other is told who has it. */
  claim(id: number, user: string): Promise<DeskResult> {
    const operator = username(user);
    if (!operator) return Promise.resolve(invalidUser());
    return this.act(id, async (facts, at, now) => {
      if ((await this.sql.run(CLAIM, { id, user: operator, at })).changes === 0) {
        // Read again: on PostgreSQL another instance's claim may have committed since `facts` was read.
        const current = (await this.sql.get<Facts>(FACTS, [id])) ?? facts;
        if (current.status === "claimed" && current.assignedTo === operator) return { event: null };
        return refusal(current);
      }
      await this.messages.add({ escalationId: id, kind: "system", author: operator, text: SYSTEM_EVENTS.claimed }, now);
      await this.auditStaff(operator, "escalation.claimed", id, { status: facts.status, assignedTo: facts.assignedTo }, { status: "claimed", assignedTo: operator }, now);
      return { event: { type: "escalation.updated", status: "claimed" } };
    });
  }

  /**
   * Answers the person on their own channel. Only the operator who claimed it may; answering takes
   * the conversation back from the bot if it was handed back. The text goes out as written; what is
   * stored has long numbers masked.
   */
  async reply(id: number, user: string, text: string): Promise<DeskResult> {
    const operator = username(user);
    if (!operator) return invalidUser();
    const words = checkedText(text.trim(), "reply", MAX_REPLY_LENGTH, "The reply is empty: write what the person should read.");
    if (typeof words !== "string") return words;
    return this.act(id, async (facts, at, now) => {
      const refused = this.heldBy(facts, operator);
      if (refused) return refused;
      const messageId = await this.messages.add({ escalationId: id, kind: "operator_reply", author: operator, text: words, channelDelivery: "pending" }, now);
      const identity = await this.sql.get<{ id: number; locale: string }>(IDENTITY, [facts.channel, facts.externalId]);
      const outbox = await this.sql.get<{ id: number }>(QUEUE_REPLY, {
          dedupeKey: `${OPERATOR_REPLY_KIND}:message:${messageId}`,
          channel: facts.channel,
          externalId: facts.externalId,
          identityId: identity?.id ?? null,
          beneficiaryId: facts.beneficiaryId,
          locale: identity?.locale ?? "vi",
        text: words,
        at,
      });
      await this.messages.linkOutbox(messageId, outbox!.id);
      if (facts.handedBackAt !== null) await this.sql.run(RETAKE, [id]);
      await this.auditStaff(operator, "escalation.replied", id, { handedBackAt: facts.handedBackAt }, { messageId, channel: facts.channel, handedBackAt: null }, now);
      return { event: { type: "escalation.message", messageId, kind: "operator_reply" }, messageId };
    });
  }

  /** A private note for the staff: never sent to the person. Any operator may add one, in any state. */
  async note(id: number, user: string, text: string): Promise<DeskResult> {
    const operator = username(user);
    if (!operator) return invalidUser();
    const words = checkedText(text.trim(), "note", MAX_NOTE_LENGTH, "The note is empty.");
    if (typeof words !== "string") return words;
    return this.act(id, async (_facts, _at, now) => {
      const messageId = await this.messages.add({ escalationId: id, kind: "note", author: operator, text: words }, now);
      await this.auditStaff(operator, "escalation.noted", id, null, { messageId }, now);
      return { event: { type: "escalation.message", messageId, kind: "note" }, messageId };
    });
  }

  /** Closes the escalation with the reason; the bot answers the person again. An open one may be resolved without a claim. */
  async resolve(id: number, user: string, reason: string): Promise<DeskResult> {
    const operator = username(user);
    if (!operator) return invalidUser();
    const why = checkedText(reason.replace(/\s+/g, " ").trim(), "reason", MAX_REASON_LENGTH, "Say why it is resolved (the reason is kept with the escalation).");
    if (typeof why !== "string") return why;
    return this.act(id, async (facts, at, now) => {
      if (facts.status === "resolved" || (facts.status === "claimed" && facts.assignedTo !== operator)) return refusal(facts);
      await this.sql.run(RESOLVE, { id, user: operator, reason: why, at });
      await this.messages.add({ escalationId: id, kind: "system", author: operator, text: SYSTEM_EVENTS.resolved }, now);
      await this.auditStaff(operator, "escalation.resolved", id, { status: facts.status, assignedTo: facts.assignedTo }, { status: "resolved", assignedTo: facts.assignedTo ?? operator, resolution: why }, now);
      return { event: { type: "escalation.updated", status: "resolved" } };
    });
  }

  /**
   * The operator lets the bot answer the person again, keeping the escalation (claimed, in their
   * queue) until it is resolved; a later reply takes the conversation back.
   */
  async handBack(id: number, user: string): Promise<DeskResult> {
    const operator = username(user);
    if (!operator) return invalidUser();
    return this.act(id, async (facts, at, now) => {
      const refused = this.heldBy(facts, operator);
      if (refused) return refused;
      if ((await this.sql.run(HAND_BACK, { id, at })).changes === 0) {
        return { ok: false, error: "already_with_bot", message: `Escalation ${id} was handed back to the bot already.`, status: facts.status, assignedTo: facts.assignedTo };
      }
      await this.messages.add({ escalationId: id, kind: "system", author: operator, text: SYSTEM_EVENTS.handedBack }, now);
      await this.auditStaff(operator, "escalation.handed_back", id, { handedBackAt: null }, { handedBackAt: at }, now);
      return { event: { type: "escalation.updated", status: "claimed" } };
    });
  }

  // ---- Hooks the service wires ----

  /**
   * The effect writer recorded a new escalation (inside the conversation step's transaction): its
   * activity is stamped in order (see escalationActivity.ts), so a page polling `changesSince`
   * finds it, and the hub is told.
   */
  async opened(id: number): Promise<void> {
    await this.sql.transaction(async () => {
      await this.messages.touchEscalation(id, this.clock());
    });
    this.events.publish({ type: "escalation.created", id, communeId: await this.communeOf(id), status: "open" });
  }

  /**
   * The person asked for a person again while their escalation is open (inside the step's
   * transaction): the operator sees it in the conversation, and if they had gone back to the bot,
   * their words go to the operator again.
   */
  async askedAgain(channel: string, externalId: string, topic: string, now: Date): Promise<void> {
    const id = await this.payments.openEscalationId(channel, externalId, topic);
    if (id === null) return;
    await this.sql.transaction(async () => {
      await lockActivity(this.sql); // before the row changes: the order every activity takes (escalationActivity.ts)
      await this.sql.run(RETAKE, [id]); // back with the operator, as when the operator replies
      await this.messages.add({ escalationId: id, kind: "system", author: null, text: SYSTEM_EVENTS.askedAgain }, now); // also marks the activity
    });
    this.events.publish({ type: "escalation.message", id, communeId: await this.communeOf(id), kind: "system" });
  }

  /** Words the person left outside a conversation step (a voice message after "gặp cán bộ"), added to their open escalation. */
  async personLeftMessage(channel: string, externalId: string, topic: string, text: string, now: Date): Promise<boolean> {
    const id = await this.payments.openEscalationId(channel, externalId, topic);
    if (id === null) return false;
    await this.messages.add({ escalationId: id, kind: "person", author: null, text }, now);
    this.events.publish({ type: "escalation.message", id, communeId: await this.communeOf(id), kind: "person" });
    return true;
  }

  /**
   * An outbox row was sent, shown on USSD, given up or cancelled: where it carries a reply, the
   * reply's delivery follows. Returns a promise the outbox awaits (inside its own transaction where it has one).
   */
  readonly outboxSettled = async (row: OutboxRow, status: Parameters<OutboxSettled>[1]): Promise<void> => {
    if (row.kind !== OPERATOR_REPLY_KIND) return;
    const changed = await this.messages.setDelivery(row.id, deliveryOfOutboxStatus(status), this.clock());
    if (!changed) return;
    this.events.publish({
      type: "escalation.message",
      id: changed.escalationId,
      communeId: await this.communeOf(changed.escalationId),
      messageId: changed.id,
      kind: "operator_reply",
    });
  };

  // ---- Inside ----

  private async communeOf(id: number): Promise<number | null> {
    return (await this.sql.get<{ communeId: number | null }>(COMMUNE, [id]))?.communeId ?? null;
  }

  /**
   * Runs one operator action in a write transaction on the escalation's current state, and tells
   * the hub once it committed. The action gives the event to publish (null: nothing changed) or a refusal.
   */
  private async act(id: number, change: (facts: Facts, at: string, now: Date) => Promise<ActionDone | Refusal>): Promise<DeskResult> {
    const now = this.clock();
    const done: { event?: EscalationEvent; messageId?: number } = {};
    const refused = await this.sql.transaction(async (): Promise<Refusal | null> => {
      // First, before any row: every transaction that records activity locks in this order (escalationActivity.ts).
      await lockActivity(this.sql);
      const facts = await this.sql.get<Facts>(FACTS, [id]);
      if (!facts) return { ok: false, error: "not_found", message: `There is no escalation ${id}.` };
      const result = await change(facts, sqlTimestamp(now), now);
      if ("ok" in result) return result;
      if (result.event) done.event = { ...result.event, id, communeId: facts.communeId };
      done.messageId = result.messageId;
      return null;
    });
    if (refused) return refused;
    if (done.event) this.events.publish(done.event);
    return { ok: true, escalation: (await this.queues.one(id))!, ...(done.messageId === undefined ? {} : { messageId: done.messageId }) };
  }

  /** Null when `operator` holds the escalation (claimed by them); otherwise the refusal. */
  private heldBy(facts: Facts, operator: string): Refusal | null {
    return facts.status === "claimed" && facts.assignedTo === operator ? null : refusal(facts);
  }

  private auditStaff(operator: string, action: string, id: number, before: unknown, after: unknown, at: Date): Promise<void> {
    return this.audit({ actorKind: "staff", actorId: operator, action, entity: "Escalation", entityId: String(id), before, after, at });
  }
}

function username(user: string): string | null {
  const name = user.trim();
  return name && name.length <= MAX_USERNAME_LENGTH ? name : null;
}

function invalid(message: string): Refusal {
  return { ok: false, error: "invalid", message };
}

/** The text when it is neither empty nor too long; otherwise the refusal that says so. */
function checkedText(text: string, what: string, max: number, whenEmpty: string): string | Refusal {
  if (!text) return invalid(whenEmpty);
  return text.length > max ? invalid(`The ${what} is ${text.length} characters long: keep it under ${max}.`) : text;
}

function invalidUser(): Refusal {
  return invalid(`Say which operator acts: a username of 1 to ${MAX_USERNAME_LENGTH} characters.`);
}

/** Why an operator may not act on the escalation in its present state. */
function refusal(facts: Facts): Refusal {
  const known = { status: facts.status, assignedTo: facts.assignedTo };
  if (facts.status === "resolved") return { ok: false, error: "resolved", message: `Escalation ${facts.id} is resolved.`, ...known };
  if (facts.status === "open") return { ok: false, error: "not_claimed", message: `Escalation ${facts.id} is not claimed yet: claim it first.`, ...known };
  return { ok: false, error: "claimed_by_other", message: `Escalation ${facts.id} is claimed by ${facts.assignedTo}.`, ...known };
}
