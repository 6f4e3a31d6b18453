import { GroupCommit } from "../db/groupCommit.ts";
import type { Sql } from "../db/sql/sql.ts";
import type { Engine } from "../engine/engine.ts";
import type { Locale, SessionState } from "../engine/session.ts";
import type { Conversation, Reply, Turn } from "../engine/types.ts";
import type { EffectWriter } from "./effectWriter.ts";
import type { OperatorOwnership } from "./escalations/operatorOwnership.ts";
import type { NoticeBoard } from "./outbox/noticeBoard.ts";
import { actorOf } from "./person.ts";
import type { SessionStore, StoredConversation } from "./store/sessionStore.ts";

/** How a channel turns a channel-neutral screen into what it sends, page by page when it must. */
export interface ScreenRenderer<Output> {
  render(reply: Reply, page: number): { output: Output; pages: number };
  /** The input that shows the next page ("99" on USSD), if the channel pages at all. */
  moreInput?: string;
  /** The input that goes back a page ("0"); on the first page it goes back in the flow instead. */
  previousPageInput?: string;
  /** The input that says the last screen again ("9" on a call), if the channel offers it. */
  repeatInput?: string;
}

export interface Inbound {
  conversation: Conversation;
  turn: Turn;
  /** Identifies this request at the gateway: a repeat with the same key gets the same answer and repeats nothing. */
  requestKey?: string;
  /**
   * The channel's own session this request belongs to, where it has one: a USSD gateway's session
   * id, which names one dial. The first request of a session takes `opening` instead of `turn`
   * (a new dial: a reconnect, or a fresh start that runs the keys dialled with the code), whatever
   * screen the stored conversation was left on. It is the first when the gateway says so (`first`)
   * or when the stored conversation has not seen its id.
   */
  channelSession?: { id: string; first: boolean; opening: Turn };
}

/**
 * The host around the engine: loads the stored conversation, runs one step, applies its effects,
 * logs both sides and saves, all in one SQLite transaction (shared with the other requests of
 * the same moment: see GroupCommit). The same for every channel; a channel only supplies the
 * conversation facts and its renderer.
 *
 * One person's requests are handled one after another: a gateway's repeat that arrives while the
 * first is still being stored waits for it, then finds it and answers the same. Within an instance
 * a chain of promises per person does it; on PostgreSQL, where the next hop may reach another
 * instance, each hop also runs in a transaction holding a lock on its person (an advisory lock on
 * the channel and user id, which exists before the person's first session row does).
 */
export class ConversationService {
  private readonly commits: GroupCommit;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly engine: Engine,
    private readonly sql: Sql,
    private readonly sessions: SessionStore,
    private readonly effects: EffectWriter,
    private readonly clock: () => Date,
    private readonly idleMinutes: number,
    /** Messages waiting for people who cannot be pushed to, shown when they call again. */
    private readonly notices?: NoticeBoard,
    /** Escalations an operator holds: the person's words go to the operator, not to the engine. */
    private readonly operators?: OperatorOwnership,
  ) {
    this.commits = new GroupCommit(sql);
  }

  handle<Output>(inbound: Inbound, renderer: ScreenRenderer<Output>): Promise<{ output: Output; reply: Reply; ended: boolean }> {
    const key = `${inbound.conversation.channel}:${inbound.conversation.userId}`;
    const previous = this.inFlight.get(key);
    const next = previous ? previous.then(settle, settle).then(() => this.handleInTurn(key, inbound, renderer)) : this.handleInTurn(key, inbound, renderer);
    this.inFlight.set(key, next);
    const forget = () => {
      if (this.inFlight.get(key) === next) this.inFlight.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  private handleInTurn<Output>(key: string, inbound: Inbound, renderer: ScreenRenderer<Output>): Promise<{ output: Output; reply: Reply; ended: boolean }> {
    if (this.sql.dialect !== "postgres") return this.handleNow(inbound, renderer);
    return this.sql.transaction(async () => {
      await this.sql.run(LOCK_PERSON, [key]);
      return this.handleNow(inbound, renderer);
    });
  }

  private async handleNow<Output>(inbound: Inbound, renderer: ScreenRenderer<Output>): Promise<{ output: Output; reply: Reply; ended: boolean }> {
    const { conversation, requestKey } = inbound;
    const now = this.clock();
    const stored = await this.sessions.get(conversation.channel, conversation.userId, now);
    if (requestKey && stored?.last?.key === requestKey && stored.lastReply) {
      // The same request again: the same screen, rendered from what was stored, and no new step.
      return { output: renderer.render(stored.lastReply, stored.page ?? 0).output, reply: stored.lastReply, ended: stored.session.ended };
    }
    // A request of a channel session (a dial) the conversation has not seen starts a new dial.
    const dial = inbound.channelSession;
    const turn = dial && (dial.first || stored?.channelSession !== dial.id) ? dial.opening : inbound.turn;
    const channelSession = dial?.id ?? stored?.channelSession;
    const last = requestKey ? { key: requestKey } : undefined;
    const paged = stored && turn.kind === "input" ? this.turnPage(stored, turn.text, renderer) : null;
    if (paged !== null && stored?.lastReply) {
      const { output } = renderer.render(stored.lastReply, paged);
      await this.save(conversation, { ...stored, page: paged, last, channelSession }, now, async () => {
        await this.sessions.log(conversation.channel, conversation.userId, "in", turn.kind === "input" ? turn.text : "", now);
      });
      return { output, reply: stored.lastReply, ended: false };
    }
    // An operator holds this person's escalation: the operator, not the bot, answers (src/domain/escalations/).
    // A new dial that carries keys is a new dial to the operator too: the keys were meant for menus.
    const held = await this.operators?.routeToOperator(conversation, turn.kind === "start" ? { kind: "reconnect" } : turn, stored?.session, now);
    if (held) {
      const { output } = renderer.render(held.reply, 0);
      // Kept even without a stored conversation, so the dial's next requests are known to belong to it.
      const keep = stored ?? (channelSession ? { session: endedSession(held.reply.locale) } : null);
      if (keep) await this.save(conversation, { ...keep, lastReply: held.reply, page: 0, last, channelSession }, now, held.record);
      else await this.commits.run(held.record);
      return { output, reply: held.reply, ended: false };
    }

    const result = await this.engine.step(stored?.session ?? null, turn, conversation);
    const waiting = (turn.kind === "reconnect" || turn.kind === "start") && this.notices ? await this.notices.take(conversation.channel, conversation.userId, result.reply.locale, now) : null;
    if (waiting?.texts.length) {
      result.reply.texts.unshift(...waiting.texts);
      result.reply.sentenceKeys?.unshift(...waiting.texts.map(() => null));
    }
    const { output } = renderer.render(result.reply, 0);
    const actor = actorOf(result.session.vars);
    const next: StoredConversation = { session: result.session, lastReply: result.reply, page: 0, last, channelSession };
    const typed = typedText(turn);
    await this.save(conversation, next, now, async () => {
      if (typed !== null) await this.sessions.log(conversation.channel, conversation.userId, "in", result.loggedInput ?? typed, now);
      await this.effects.apply(result.effects, conversation, actor, now);
      await waiting?.markShown();
      await this.sessions.log(conversation.channel, conversation.userId, "out", result.reply.texts.concat(result.reply.choices.map((c) => `${c.number}. ${c.label}`)).join("\n"), now);
    });
    return { output, reply: result.reply, ended: result.reply.end };
  }

  /** The page to show when the input only turns pages of the last screen; null when it is an answer. */
  private turnPage<Output>(stored: StoredConversation, input: string, renderer: ScreenRenderer<Output>): number | null {
    if (!stored.lastReply) return null;
    const page = stored.page ?? 0;
    const text = input.trim();
    if (renderer.repeatInput !== undefined && text === renderer.repeatInput && !stored.session.ended) return page;
    if (!renderer.moreInput) return null;
    if (text === renderer.moreInput) {
      const { pages } = renderer.render(stored.lastReply, page);
      return page + 1 < pages ? page + 1 : null;
    }
    if (text === renderer.previousPageInput && page > 0) return page - 1;
    return null;
  }

  private save(conversation: Conversation, stored: StoredConversation, now: Date, writes: () => Promise<void>): Promise<void> {
    return this.commits.run(async () => {
      await writes();
      await this.sessions.put(conversation.channel, conversation.userId, stored, now, this.idleMinutes * 60_000);
    });
  }
}

const settle = () => undefined;

/** What the person typed in this turn, for the message log; null when they typed nothing. */
function typedText(turn: Turn): string | null {
  if (turn.kind === "input") return turn.text;
  return turn.kind === "start" && turn.inputs?.length ? turn.inputs.join("*") : null;
}

/** A conversation with nothing to continue: the engine starts afresh from it, in its language. */
function endedSession(locale: Locale): SessionState {
  return { v: 1, flow: "", node: "", vars: {}, history: [], locale, ended: true };
}

/** Held until the hop's transaction ends; hashtext folds the channel and user id to the lock's key. */
const LOCK_PERSON = `SELECT pg_advisory_xact_lock(hashtext(?))`;
