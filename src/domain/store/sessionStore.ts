import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";
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
}

/** Sessions and the message log, on prepared statements: this is a USSD hop's hot path. */
export class SessionStore {
  private readonly load;
  private readonly save;
  private readonly insertMessage;
  private readonly recent;
  private readonly purge;

  constructor(sql: Database.Database) {
    this.purge = sql.prepare(`DELETE FROM ConversationSession WHERE expiresAt <= ?`);
    this.load = sql.prepare<[string, string], { state: string; expiresAt: string }>(
      `SELECT state, expiresAt FROM ConversationSession WHERE channel = ? AND externalId = ?`,
    );
    this.save = sql.prepare(
      `INSERT INTO ConversationSession (channel, externalId, state, updatedAt, expiresAt) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(channel, externalId) DO UPDATE SET state = excluded.state, updatedAt = excluded.updatedAt, expiresAt = excluded.expiresAt`,
    );
    this.insertMessage = sql.prepare(
      `INSERT INTO MessageLog (channel, externalId, direction, text, createdAt) VALUES (?, ?, ?, ?, ?)`,
    );
    this.recent = sql.prepare<[string, string, number], { direction: string; text: string; createdAt: string }>(
      `SELECT direction, text, createdAt FROM MessageLog WHERE channel = ? AND externalId = ? ORDER BY id DESC LIMIT ?`,
    );
  }

  /** The stored conversation, or null when there is none or it expired. */
  get(channel: string, externalId: string, now: Date): StoredConversation | null {
    const row = this.load.get(channel, externalId);
    if (!row || row.expiresAt <= sqlTimestamp(now)) return null;
    return JSON.parse(row.state) as StoredConversation;
  }

  put(channel: string, externalId: string, stored: StoredConversation, now: Date, idleMs: number): void {
    this.save.run(channel, externalId, JSON.stringify(stored), sqlTimestamp(now), sqlTimestamp(new Date(now.getTime() + idleMs)));
  }

  /** Records one message; returns its row id. */
  log(channel: string, externalId: string, direction: "in" | "out", text: string, now: Date): number {
    return Number(this.insertMessage.run(channel, externalId, direction, text, sqlTimestamp(now)).lastInsertRowid);
  }

  /** Forgets conversations idle past their expiry (the message log keeps what was said). */
  purgeExpired(now: Date): number {
    return this.purge.run(sqlTimestamp(now)).changes;
  }

  /** The latest messages, oldest first: the transcript an escalation carries. */
  transcript(channel: string, externalId: string, limit = 30): { direction: string; text: string; at: string }[] {
    return this.recent
      .all(channel, externalId, limit)
      .reverse()
      .map((m) => ({ direction: m.direction, text: m.text, at: m.createdAt }));
  }
}
