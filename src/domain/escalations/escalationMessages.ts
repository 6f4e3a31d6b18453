import type Database from "better-sqlite3";
import { sqlTimestamp } from "../../db/database.ts";
import { maskNumbersInText } from "../../shared/mask.ts";

export type EscalationMessageKind = "person" | "operator_reply" | "note" | "system";

/** Where an operator's reply is: queued, sent to the chat, shown on the person's next USSD dial, or given up. */
export type ChannelDelivery = "pending" | "sent" | "shown_at_next_dial" | "failed";

/**
 * The words of a system message: a code the console words in its own language, not a sentence.
 * `person_returned_to_bot` is followed by the word the person typed (e.g. "person_returned_to_bot:home").
 */
export const SYSTEM_EVENTS = {
  claimed: "claimed",
  handedBack: "handed_back_to_bot",
  personReturned: "person_returned_to_bot",
  askedAgain: "person_asked_again",
  resolved: "resolved",
} as const;

export interface EscalationMessage {
  id: number;
  escalationId: number;
  kind: EscalationMessageKind;
  /** The operator's username; null for the person and the system. */
  author: string | null;
  /** As stored: long numbers (ID, account, phone) keep only their last 4 digits. */
  text: string;
  channelDelivery: ChannelDelivery | null;
  messageLogId: number | null;
  createdAt: Date;
}

type Row = Omit<EscalationMessage, "createdAt"> & { createdAt: string };

/** The outbox status of an operator's reply, as the console tells it. */
export function deliveryOfOutboxStatus(status: string): ChannelDelivery {
  if (status === "sent") return "sent";
  if (status === "delivered") return "shown_at_next_dial";
  if (status === "failed" || status === "cancelled") return "failed";
  return "pending";
}

/**
 * The messages of escalations, on prepared statements. Every text is masked as it is stored (the
 * message log's rule: no ID or account number in clear), and every message counts as activity of
 * its escalation, which orders the queues and is what `changesSince` reads.
 */
export class EscalationMessages {
  private readonly insert;
  private readonly touch;
  private readonly linkOutboxStmt;
  private readonly deliveryStmt;
  private readonly listStmt;

  constructor(sql: Database.Database) {
    this.insert = sql.prepare(
      `INSERT INTO EscalationMessage (escalationId, kind, author, text, channelDelivery, messageLogId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.touch = sql.prepare(`UPDATE Escalation SET lastActivityAt = ?, updatedAt = ? WHERE id = ?`);
    this.linkOutboxStmt = sql.prepare(`UPDATE EscalationMessage SET outboxMessageId = ? WHERE id = ?`);
    this.deliveryStmt = sql.prepare<[ChannelDelivery, number], { id: number; escalationId: number }>(
      `UPDATE EscalationMessage SET channelDelivery = ? WHERE outboxMessageId = ? RETURNING id, escalationId`,
    );
    this.listStmt = sql.prepare<[number], Row>(
      `SELECT id, escalationId, kind, author, text, channelDelivery, messageLogId, createdAt FROM EscalationMessage WHERE escalationId = ? ORDER BY id`,
    );
  }

  /** Records a message (its text masked) and the escalation's activity; returns the message's id. */
  add(
    message: { escalationId: number; kind: EscalationMessageKind; author: string | null; text: string; channelDelivery?: ChannelDelivery; messageLogId?: number },
    now: Date,
  ): number {
    const at = sqlTimestamp(now);
    const id = Number(
      this.insert.run(message.escalationId, message.kind, message.author, maskNumbersInText(message.text), message.channelDelivery ?? null, message.messageLogId ?? null, at)
        .lastInsertRowid,
    );
    this.touchEscalation(message.escalationId, now);
    return id;
  }

  /** Counts a change of the escalation itself (claim, resolution) as activity. */
  touchEscalation(escalationId: number, now: Date): void {
    const at = sqlTimestamp(now);
    this.touch.run(at, at, escalationId);
  }

  linkOutbox(messageId: number, outboxMessageId: number): void {
    this.linkOutboxStmt.run(outboxMessageId, messageId);
  }

  /** Records where the reply carried by an outbox row is; the message, or undefined when the row carries none. */
  setDelivery(outboxMessageId: number, delivery: ChannelDelivery, now: Date): { id: number; escalationId: number } | undefined {
    const changed = this.deliveryStmt.get(delivery, outboxMessageId);
    if (changed) this.touchEscalation(changed.escalationId, now);
    return changed;
  }

  /** An escalation's messages, oldest first. */
  list(escalationId: number): EscalationMessage[] {
    return this.listStmt.all(escalationId).map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
  }
}
