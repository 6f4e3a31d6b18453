import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { Globals } from "../../engine/loadFlows.ts";
import { matchGlobalWord } from "../../engine/matchInput.ts";
import type { Locale, SessionState } from "../../engine/session.ts";
import type { Conversation, Reply, Translate, Turn } from "../../engine/types.ts";
import { maskNumbersInText } from "../../shared/mask.ts";
import { auditWriter, type WriteAudit } from "../audit.ts";
import type { NoticeBoard } from "../outbox/noticeBoard.ts";
import { actorOf } from "../person.ts";
import type { SessionStore } from "../store/sessionStore.ts";
import type { EscalationEvents } from "./escalationEvents.ts";
import { lockActivity } from "./escalationActivity.ts";
import { EscalationMessages, SYSTEM_EVENTS } from "./escalationMessages.ts";

// One indexed read on every turn: the cost of the check on the hot path.
const HELD = `SELECT e.id, b.communeId, i.locale FROM Escalation e
  LEFT JOIN Beneficiary b ON b.id = e.beneficiaryId
  LEFT JOIN ChannelIdentity i ON i.channel = e.channel AND i.externalId = e.externalId
  WHERE e.channel = ? AND e.externalId = ? AND e.status = 'claimed' AND e.handedBackAt IS NULL
  ORDER BY e.id DESC LIMIT 1`;
const RETURN_TO_BOT = `UPDATE Escalation SET handedBackAt = ?, updatedAt = ? WHERE id = ? AND handedBackAt IS NULL`;

/** The sentences the bot says while an operator holds a conversation: checked by `flows check`. */
export const OPERATOR_OWNERSHIP_KEYS = ["escalate.operator_answering", "escalate.write_to_operator"];

/** A turn the operator, not the bot, answers: the screen to show, and the writes to make with the session save. */
export interface HeldTurn {
  reply: Reply;
  /** Logs the turn and records the person's words for the operator; run inside the conversation's transaction. */
  record(): Promise<void>;
}

interface Held {
  id: number;
  communeId: number | null;
  locale: string | null;
}

export interface OperatorOwnershipDeps {
  sql: Sql;
  globals: Globals;
  translate: Translate;
  sessions: SessionStore;
  events: EscalationEvents;
  defaultLocale: Locale;
  /** Waiting messages (an operator's reply on USSD), shown when the person dials again. */
  notices?: NoticeBoard;
}

/**
 * While an operator holds a person's escalation (claimed, not handed back), the bot does not
 * answer the person's words: they go to the operator, and the person is told the operator is
 * answering. A word that works everywhere ("menu", "00", "0", "help", "stop"...) returns the person
 * to the bot, and the operator is told; asking for a person again ("gặp cán bộ") is a message to
 * the operator they already have. On USSD a new dial shows the operator's waiting replies and
 * asks for the person's answer.
 *
 * ConversationService asks `routeToOperator` before each step: the engine never hears of escalations.
 */
export class OperatorOwnership {
  private readonly messages: EscalationMessages;
  private readonly audit: WriteAudit;

  constructor(private readonly deps: OperatorOwnershipDeps) {
    this.messages = new EscalationMessages(deps.sql);
    this.audit = auditWriter(deps.sql);
  }

  /**
   * The operator's answer to this turn, or null when the bot answers it. A word that returns the
   * person to the bot is recorded here (at once, on its own) and gives null.
   */
  async routeToOperator(conversation: Conversation, turn: Turn, session: SessionState | undefined, now: Date): Promise<HeldTurn | null> {
    if (turn.kind !== "input" && turn.kind !== "reconnect") return null;
    const held = await this.deps.sql.get<Held>(HELD, [conversation.channel, conversation.userId]);
    if (!held) return null;
    if (turn.kind === "input") {
      const word = matchGlobalWord(turn.text, this.deps.globals);
      if (word && word !== "human") {
        await this.personReturned(held, conversation.channel, word, session, now);
        return null;
      }
    }
    const locale = session?.locale ?? (held.locale === "en" || held.locale === "vi" ? held.locale : this.deps.defaultLocale);
    const { channel, userId } = conversation;
    const t = (key: string) => this.deps.translate(locale, key);
    if (turn.kind === "reconnect") {
      const waiting = await this.deps.notices?.take(channel, userId, locale, now);
      const reply = this.screen(locale, [...(waiting?.texts ?? []), t("escalate.write_to_operator")]);
      return {
        reply,
        record: async () => {
          await waiting?.markShown();
          await this.deps.sessions.log(channel, userId, "out", reply.texts.join("\n"), now);
        },
      };
    }
    const reply = this.screen(locale, [t("escalate.operator_answering")]);
    const words = maskNumbersInText(turn.text);
    return {
      reply,
      record: async () => {
        // The activity lock before any row, as every activity takes it (escalationActivity.ts).
        await lockActivity(this.deps.sql);
        const messageLogId = await this.deps.sessions.log(channel, userId, "in", words, now);
        const messageId = await this.messages.add({ escalationId: held.id, kind: "person", author: null, text: words, messageLogId }, now);
        await this.deps.sessions.log(channel, userId, "out", reply.texts.join("\n"), now);
        this.deps.events.publish({ type: "escalation.message", id: held.id, communeId: held.communeId, messageId, kind: "person" });
      },
    };
  }

  /** The person typed a word that takes them back to the bot: the bot answers them until the operator replies again. */
  private async personReturned(held: Held, channel: string, word: string, session: SessionState | undefined, now: Date): Promise<void> {
    const actor = actorOf(session?.vars);
    await this.deps.sql.transaction(async () => {
      await lockActivity(this.deps.sql); // before the row changes (escalationActivity.ts)
      const at = sqlTimestamp(now);
      if ((await this.deps.sql.run(RETURN_TO_BOT, [at, at, held.id])).changes === 0) return;
      await this.messages.add({ escalationId: held.id, kind: "system", author: null, text: `${SYSTEM_EVENTS.personReturned}:${word}` }, now);
      await this.audit({ actorKind: actor.kind, actorId: actor.id, action: "escalation.person_returned_to_bot", entity: "Escalation", entityId: String(held.id), channel, before: { handedBackAt: null }, after: { handedBackAt: at, word }, at: now });
    });
    this.deps.events.publish({ type: "escalation.updated", id: held.id, communeId: held.communeId, status: "claimed" });
  }

  /** A screen that waits for the person's words; "0" and "00" (shown as the way back) return to the bot. */
  private screen(locale: Locale, texts: string[]): Reply {
    const t = (key: string) => this.deps.translate(locale, key);
    return {
      locale,
      texts,
      choices: [],
      expects: "text",
      end: false,
      nav: { back: t("engine.nav_back"), home: t("engine.nav_home"), more: t("engine.nav_more") },
      canGoBack: true,
    };
  }
}
