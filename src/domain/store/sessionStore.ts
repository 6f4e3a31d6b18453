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

const PURGE_EXPIRED = `DELETE FROM ConversationSession WHERE expiresAt <= ?`;
const LOAD = `SELECT state, expiresAt FROM ConversationSession WHERE channel = ? AND externalId = ?`;
const SAVE = `INSERT INTO ConversationSession (channel, externalId, state, updatedAt, expiresAt) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT(channel, externalId) DO UPDATE SET state = excluded.state, updatedAt = excluded.updatedAt, expiresAt = excluded.expiresAt`;
const LOG_MESSAGE = `INSERT INTO MessageLog (channel, externalId, direction, text, createdAt) VALUES (?, ?, ?, ?, ?) RETURNING id`;
const RECENT_MESSAGES = `SELECT direction, text, createdAt FROM MessageLog WHERE channel = ? AND externalId = ? ORDER BY id DESC LIMIT ?`;

/** Sessions and the message log: this is a USSD hop's hot path. */
export class SessionStore {
  constructor(private readonly sql: Sql) {}

  /** The stored conversation, or null when there is none or it expired. */
  async get(channel: string, externalId: string, now: Date): Promise<StoredConversation | null> {
    const row = await this.sql.get<{ state: string; expiresAt: string }>(LOAD, [channel, externalId]);
    if (!row || row.expiresAt <= sqlTimestamp(now)) return null;
    return JSON.parse(row.state) as StoredConversation;
  }

  async put(channel: string, externalId: string, stored: StoredConversation, now: Date, idleMs: number): Promise<void> {
    await this.sql.run(SAVE, [channel, externalId, JSON.stringify(stored), sqlTimestamp(now), sqlTimestamp(new Date(now.getTime() + idleMs))]);
  }

  /** Records one message; returns its row id. */
  async log(channel: string, externalId: string, direction: "in" | "out", text: string, now: Date): Promise<number> {
    return (await this.sql.get<{ id: number }>(LOG_MESSAGE, [channel, externalId, direction, text, sqlTimestamp(now)]))!.id;
  }

  /** Forgets conversations idle past their expiry (the message log keeps what was said). */
  async purgeExpired(now: Date): Promise<number> {
    return (await this.sql.run(PURGE_EXPIRED, [sqlTimestamp(now)])).changes;
  }

  /** The latest messages, oldest first: the transcript an escalation carries. */
  async transcript(channel: string, externalId: string, limit = 30): Promise<{ direction: string; text: string; at: string }[]> {
    return (await this.sql.all<{ direction: string; text: string; createdAt: string }>(RECENT_MESSAGES, [channel, externalId, limit]))
      .reverse()
      .map((m) => ({ direction: m.direction, text: m.text, at: m.createdAt }));
  }
}
