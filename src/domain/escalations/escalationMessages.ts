import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { maskNumbersInText } from "../../shared/mask.ts";
import { lockActivity, stampActivity } from "./escalationActivity.ts";

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

const INSERT_MESSAGE = `INSERT INTO EscalationMessage (escalationId, kind, author, text, channelDelivery, messageLogId, createdAt)
  VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`;
const LINK_OUTBOX = `UPDATE EscalationMessage SET outboxMessageId = ? WHERE id = ?`;
const SET_DELIVERY = `UPDATE EscalationMessage SET channelDelivery = ? WHERE outboxMessageId = ? RETURNING id, escalationId`;
const LIST_MESSAGES = `SELECT id, escalationId, kind, author, text, channelDelivery, messageLogId, createdAt FROM EscalationMessage
  WHERE escalationId = ? ORDER BY id`;

/**
 * The messages of escalations. Every text is masked as it is stored (the message log's rule: no
 * ID or account number in clear), and every message counts as activity of its escalation, which
 * orders the queues and is what `changesSince` reads.
 */
export class EscalationMessages {
  constructor(private readonly sql: Sql) {}

  /** Records a message (its text masked) and the escalation's activity; returns the message's id. */
  async add(
    message: { escalationId: number; kind: EscalationMessageKind; author: string | null; text: string; channelDelivery?: ChannelDelivery; messageLogId?: number },
    now: Date,
  ): Promise<number> {
    const at = sqlTimestamp(now);
    return this.sql.transaction(async () => {
      await lockActivity(this.sql);
      const row = await this.sql.get<{ id: number }>(INSERT_MESSAGE, [
        message.escalationId,
        message.kind,
        message.author,
        maskNumbersInText(message.text),
        message.channelDelivery ?? null,
        message.messageLogId ?? null,
        at,
      ]);
      await this.touchEscalation(message.escalationId, now);
      return row!.id;
    });
  }

  /** Counts a change of the escalation itself (claim, resolution) as activity. */
  async touchEscalation(escalationId: number, now: Date): Promise<void> {
    await stampActivity(this.sql, escalationId, now);
  }

  async linkOutbox(messageId: number, outboxMessageId: number): Promise<void> {
    await this.sql.run(LINK_OUTBOX, [outboxMessageId, messageId]);
  }

  /** Records where the reply carried by an outbox row is; the message, or undefined when the row carries none. */
  async setDelivery(outboxMessageId: number, delivery: ChannelDelivery, now: Date): Promise<{ id: number; escalationId: number } | undefined> {
    return this.sql.transaction(async () => {
      await lockActivity(this.sql);
      const changed = await this.sql.get<{ id: number; escalationId: number }>(SET_DELIVERY, [delivery, outboxMessageId]);
      if (changed) await this.touchEscalation(changed.escalationId, now);
      return changed;
    });
  }

  /** An escalation's messages, oldest first. */
  async list(escalationId: number): Promise<EscalationMessage[]> {
    const rows = await this.sql.all<Row>(LIST_MESSAGES, [escalationId]);
    return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
  }
}
