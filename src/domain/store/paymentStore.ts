import type { Sql } from "../../db/sql/sql.ts";

export interface PaymentView {
  period: string;
  amount: number;
  backPay: number;
  method: string;
  accountProvider: string | null;
  accountLast4: string | null;
  payDate: string;
  payPoint: string | null;
  status: string;
  paidAt: string | null;
  failureReason: string | null;
}

export interface PendingMethodChange {
  id: number;
  reference: string;
  requestedMethod: string;
  accountProvider: string | null;
  accountLast4: string | null;
  walletPhone: string | null;
  homeReason: string | null;
}

const PAYMENT_COLUMNS = `pp.period, p.amount, p.backPay, p.method, p.accountProvider, p.accountLast4, p.payDate, p.payPoint, p.status, p.paidAt, p.failureReason`;

const RECENT_PAYMENTS = `SELECT ${PAYMENT_COLUMNS} FROM Payment p JOIN PaymentPeriod pp ON pp.id = p.periodId
  WHERE p.beneficiaryId = ? ORDER BY pp.period DESC LIMIT ? OFFSET ?`;
const PENDING_METHOD_CHANGE = `SELECT id, reference, requestedMethod, accountProvider, accountLast4, walletPhone, homeReason
  FROM MethodChangeRequest WHERE beneficiaryId = ? AND status = 'pending' ORDER BY id DESC LIMIT 1`;
const LATEST_PERIOD = `SELECT MAX(period) AS period FROM PaymentPeriod`;
const OPEN_ESCALATION = `SELECT id FROM Escalation WHERE channel = ? AND externalId = ? AND topic = ? AND status != 'resolved' LIMIT 1`;

/** A person's payments and method-change requests, as the conversation reads them. */
export class PaymentStore {
  constructor(private readonly sql: Sql) {}

  /** Newest first. */
  payments(beneficiaryId: number, limit: number, offset = 0): Promise<PaymentView[]> {
    return this.sql.all<PaymentView>(RECENT_PAYMENTS, [beneficiaryId, limit, offset]);
  }

  pendingMethodChange(beneficiaryId: number): Promise<PendingMethodChange | undefined> {
    return this.sql.get<PendingMethodChange>(PENDING_METHOD_CHANGE, [beneficiaryId]);
  }

  async latestPeriod(): Promise<string | null> {
    return (await this.sql.get<{ period: string | null }>(LATEST_PERIOD))?.period ?? null;
  }

  async hasOpenEscalation(channel: string, externalId: string, topic: string): Promise<boolean> {
    return (await this.openEscalationId(channel, externalId, topic)) !== null;
  }

  /** The id of this channel user's escalation on `topic` that is not resolved yet, or null. */
  async openEscalationId(channel: string, externalId: string, topic: string): Promise<number | null> {
    return (await this.sql.get<{ id: number }>(OPEN_ESCALATION, [channel, externalId, topic]))?.id ?? null;
  }
}
