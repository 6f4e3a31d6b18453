import { prepare, type Param } from "../../db/query/preparedQuery.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { SessionState } from "../../engine/session.ts";
import type { Reply } from "../../engine/types.ts";

/** What is kept per (channel, user) between two messages: the engine's session and what was last shown. */
export interface StoredConversation {
  session: SessionState;
  /** The last screen, so a channel can page through it without asking the engine again. */
  lastReply?: Reply;
  page?: number;
  /** The last request: a gateway's repeat of it gets the same screen (lastReply, page) and no new effect. */
  last?: { key: string };
  /** The channel's own session the last request belonged to (a USSD gateway's session id): a request of another one is a new dial. */
  channelSession?: string;
}

type Conversation = { channel: string; externalId: string };

// Compiled once per dialect: a hop runs LOAD, SAVE and LOG_MESSAGE, and pays only for binding them.
const PURGE_EXPIRED = prepare((db, param: Param<{ now: string }>) => db.deleteFrom("ConversationSession").where("expiresAt", "<=", param("now")));
const LOAD = prepare((db, param: Param<Conversation>) =>
  db.selectFrom("ConversationSession").select(["state", "expiresAt"]).where("channel", "=", param("channel")).where("externalId", "=", param("externalId")),
);
const SAVE = prepare((db, param: Param<Conversation & { state: string; updatedAt: string; expiresAt: string }>) =>
  db
    .insertInto("ConversationSession")
    .values({ channel: param("channel"), externalId: param("externalId"), state: param("state"), updatedAt: param("updatedAt"), expiresAt: param("expiresAt") })
    .onConflict((conflict) =>
      conflict.columns(["channel", "externalId"]).doUpdateSet((eb) => ({
        state: eb.ref("excluded.state"),
        updatedAt: eb.ref("excluded.updatedAt"),
        expiresAt: eb.ref("excluded.expiresAt"),
      })),
    ),
);
const LOG_MESSAGE = prepare((db, param: Param<Conversation & { direction: string; text: string; createdAt: string }>) =>
  db
    .insertInto("MessageLog")
    .values({ channel: param("channel"), externalId: param("externalId"), direction: param("direction"), text: param("text"), createdAt: param("createdAt") })
    .returning("id"),
);
const RECENT_MESSAGES = prepare((db, param: Param<Conversation & { limit: number }>) =>
  db
    .selectFrom("MessageLog")
    .select(["direction", "text", "createdAt"])
    .where("channel", "=", param("channel"))
    .where("externalId", "=", param("externalId"))
    .orderBy("id", "desc")
    .limit(param("limit")),
);

/** Sessions and the message log: this is a USSD hop's hot path. */
export class SessionStore {
  constructor(private readonly sql: Sql) {}

  /** The stored conversation, or null when there is none or it expired. */
  async get(channel: string, externalId: string, now: Date): Promise<StoredConversation | null> {
    const row = await LOAD.get(this.sql, { channel, externalId });
    if (!row || row.expiresAt <= sqlTimestamp(now)) return null;
    return JSON.parse(row.state) as StoredConversation;
  }

  async put(channel: string, externalId: string, stored: StoredConversation, now: Date, idleMs: number): Promise<void> {
    await SAVE.run(this.sql, {
      channel,
      externalId,
      state: JSON.stringify(stored),
      updatedAt: sqlTimestamp(now),
      expiresAt: sqlTimestamp(new Date(now.getTime() + idleMs)),
    });
  }

  /** Records one message; returns its row id. */
  async log(channel: string, externalId: string, direction: "in" | "out", text: string, now: Date): Promise<number> {
    return (await LOG_MESSAGE.get(this.sql, { channel, externalId, direction, text, createdAt: sqlTimestamp(now) }))!.id;
  }

  /** Forgets conversations idle past their expiry (the message log keeps what was said). */
  async purgeExpired(now: Date): Promise<number> {
    return PURGE_EXPIRED.run(this.sql, { now: sqlTimestamp(now) });
  }

  /** The latest messages, oldest first: the transcript an escalation carries. */
  async transcript(channel: string, externalId: string, limit = 30): Promise<{ direction: string; text: string; at: string }[]> {
    return (await RECENT_MESSAGES.all(this.sql, { channel, externalId, limit }))
      .reverse()
      .map((m) => ({ direction: m.direction, text: m.text, at: m.createdAt }));
  }
}
