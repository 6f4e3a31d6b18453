import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import { qualified } from "../../db/query/qualified.ts";
import type { Row } from "../../db/query/tables.ts";
import { typedQuery, type TypedQuery } from "../../db/query/typedQuery.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { maskAccount } from "../../shared/mask.ts";
import { maskPhone } from "../../shared/phone.ts";
import { BENEFICIARY_METHOD_COLUMNS, BENEFICIARY_RECORD_COLUMNS } from "../store/columnSets.ts";
import type { PaymentStore, PaymentView } from "../store/paymentStore.ts";
import type { PeopleStore } from "../store/peopleStore.ts";
import type { EscalationMessages, EscalationMessageKind, ChannelDelivery } from "./escalationMessages.ts";
import type { EscalationQueues, EscalationSummary } from "./escalationQueues.ts";

/** One line of the conversation an operator reads: the bot's log and the escalation's own messages, merged. */
export interface ConversationEntry {
  at: Date;
  /** person and bot come from the message log; the others are the escalation's messages. */
  kind: "bot" | EscalationMessageKind;
  /** Masked as stored. */
  text: string;
  author: string | null;
  /** The escalation message's id, where the entry is one. */
  messageId: number | null;
  /** A person's words sent while the operator held the conversation (the bot did not answer them). */
  toOperator: boolean;
  channelDelivery: ChannelDelivery | null;
}

/** The person the escalation is about, with every personal number masked. */
export interface EscalatedPerson extends Pick<Row<"Beneficiary">, "code" | "fullName" | "dateOfBirth" | "category" | "status" | "communeId" | "village"> {
  beneficiaryId: number;
  communeName: string;
  phone: string | null;
  citizenId: string | null;
  /** The method of the latest payment list: the account as "***6789". */
  method: { method: string | null; accountProvider: string | null; account: string | null; payPoint: string | null };
  pendingMethodChange: { reference: string; requestedMethod: string; accountProvider: string | null; account: string | null } | null;
  receivers: { name: string; relation: string | null }[];
}

/** A payment as the person sees it, the account masked. */
type EscalatedPayment = Omit<PaymentView, "accountLast4" | "paidAt"> & { account: string | null; paidAt: Date | null };

/** Everything an operator sees on opening an escalation. */
export interface EscalationDetail {
  escalation: EscalationSummary;
  /** Who is on the channel: how they were identified, their language, whether messages reach them. */
  contact: { verification: string | null; locale: string; unreachable: boolean; guardianName: string | null };
  person: EscalatedPerson | null;
  /** Newest first. */
  payments: EscalatedPayment[];
  /** From a while before the escalation was opened to its resolution, oldest first. */
  conversation: ConversationEntry[];
  earlier: EscalationSummary[];
}

/** How far back before an escalation the conversation starts, and how much of it is shown. */
const LOOKBACK_MS = 24 * 60 * 60_000;
const ROWS_BEFORE = 100;
const ROWS_AFTER = 1000;
const PAYMENTS_SHOWN = 12;
/** Later than any stored timestamp: the end of the conversation of an escalation not yet resolved. */
const OPEN_END = "9999-12-31T23:59:59.999Z";

/** The message log of the escalation's channel user (the caller bounds it in time). */
const logOf = (db: TypedQuery, window: LogWindow) =>
  db.selectFrom("MessageLog").select(["id", "direction", "text", "createdAt"]).where("channel", "=", window.channel).where("externalId", "=", window.externalId);

/** Reads an escalation as the operator's detail page shows it. */
export class EscalationDetails {
  private readonly db: TypedQuery;

  constructor(
    sql: Sql,
    private readonly queues: EscalationQueues,
    private readonly messages: EscalationMessages,
    private readonly people: PeopleStore,
    private readonly payments: PaymentStore,
  ) {
    this.db = typedQuery(sql);
  }

  async read(id: number): Promise<EscalationDetail | undefined> {
    const escalation = await this.queues.one(id);
    if (!escalation) return undefined;
    const contact = await this.db
      .selectFrom("ChannelIdentity as i")
      .leftJoin("Guardian as g", "g.id", "i.guardianId")
      .select(["i.verification", "i.locale", "i.unreachable", "g.fullName as guardianName"])
      .where("i.channel", "=", escalation.channel)
      .where("i.externalId", "=", escalation.externalId)
      .executeTakeFirst();
    const beneficiaryId = escalation.beneficiaryId;
    const payments = beneficiaryId === null ? [] : await this.payments.payments(beneficiaryId, PAYMENTS_SHOWN);
    return {
      escalation,
      contact: {
        verification: contact?.verification ?? null,
        locale: contact?.locale ?? "vi",
        unreachable: Boolean(contact?.unreachable),
        guardianName: contact?.guardianName ?? null,
      },
      person: beneficiaryId === null ? null : await this.person(beneficiaryId),
      payments: payments.map(({ accountLast4, paidAt, ...payment }) => ({
        ...payment,
        account: accountLast4 ? maskAccount(accountLast4) : null,
        paidAt: paidAt ? new Date(paidAt) : null,
      })),
      conversation: await this.conversation(escalation),
      earlier: await this.queues.earlier(escalation),
    };
  }

  private async person(beneficiaryId: number): Promise<EscalatedPerson | null> {
    const row = await this.db
      .selectFrom("Beneficiary as b")
      .innerJoin("Commune as c", "c.id", "b.communeId")
      .select([...qualified("b", BENEFICIARY_RECORD_COLUMNS), ...qualified("b", BENEFICIARY_METHOD_COLUMNS), "b.status", "c.name as communeName"])
      .where("b.id", "=", beneficiaryId)
      .executeTakeFirst();
    if (!row) return null;
    const pending = await this.payments.pendingMethodChange(beneficiaryId);
    const receivers = await this.people.receiversOf(beneficiaryId);
    return {
      beneficiaryId,
      code: row.code,
      fullName: row.fullName,
      dateOfBirth: row.dateOfBirth,
      category: row.category,
      status: row.status,
      communeId: row.communeId,
      communeName: row.communeName,
      village: row.village,
      phone: row.phone ? maskPhone(row.phone) : null,
      citizenId: row.citizenIdLast4 ? `***${row.citizenIdLast4}` : null,
      method: {
        method: row.paymentMethod,
        accountProvider: row.accountProvider,
        account: row.accountLast4 ? maskAccount(row.accountLast4) : null,
        payPoint: row.payPoint,
      },
      pendingMethodChange: pending
        ? { reference: pending.reference, requestedMethod: pending.requestedMethod, accountProvider: pending.accountProvider, account: pending.accountLast4 ? maskAccount(pending.accountLast4) : null }
        : null,
      receivers: receivers.map((r) => ({ name: r.name, relation: r.relation })),
    };
  }

  /**
   * The message log of the channel user around the escalation, with the escalation's messages
   * put in by time. A person's words to the operator are in both: shown once, where the log has them.
   */
  private async conversation(escalation: EscalationSummary): Promise<ConversationEntry[]> {
    const from = escalation.createdAt;
    const window: LogWindow = {
      channel: escalation.channel,
      externalId: escalation.externalId,
      since: sqlTimestamp(new Date(from.getTime() - LOOKBACK_MS)),
      from: sqlTimestamp(from),
      until: escalation.resolvedAt ? sqlTimestamp(escalation.resolvedAt) : OPEN_END,
    };
    const before = await logOf(this.db, window)
      .where("createdAt", ">=", window.since)
      .where("createdAt", "<", window.from)
      .orderBy("id", "desc")
      .limit(ROWS_BEFORE)
      .execute();
    const after = await logOf(this.db, window).where("createdAt", ">=", window.from).where("createdAt", "<=", window.until).orderBy("id").limit(ROWS_AFTER).execute();
    const logRows = [...before.reverse(), ...after];
    const messages = await this.messages.list(escalation.id);
    const byLogId = new Map(messages.filter((m) => m.messageLogId !== null).map((m) => [m.messageLogId, m]));
    const fromLog: ConversationEntry[] = logRows.map((row) => {
      const message = byLogId.get(row.id);
      return {
        at: new Date(row.createdAt),
        kind: row.direction === "in" ? "person" : "bot",
        text: row.text,
        author: null,
        messageId: message?.id ?? null,
        toOperator: message !== undefined,
        channelDelivery: null,
      };
    });
    const shownInLog = new Set(fromLog.flatMap((e) => (e.messageId === null ? [] : [e.messageId])));
    const own: ConversationEntry[] = messages
      .filter((m) => !shownInLog.has(m.id))
      .map((m) => ({ at: m.createdAt, kind: m.kind, text: m.text, author: m.author, messageId: m.id, toOperator: m.kind === "person", channelDelivery: m.channelDelivery }));
    return mergeByTime(fromLog, own);
  }
}

type LogWindow = { channel: string; externalId: string; since: string; from: string; until: string };

/** Merges two lists already in time order; at the same instant the first list's entry comes first. */
function mergeByTime(first: ConversationEntry[], second: ConversationEntry[]): ConversationEntry[] {
  const merged: ConversationEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length || j < second.length) {
    if (j >= second.length || (i < first.length && first[i].at.getTime() <= second[j].at.getTime())) merged.push(first[i++]);
    else merged.push(second[j++]);
  }
  return merged;
}
