import type Database from "better-sqlite3";

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

/** A person's payments and method-change requests, as the conversation reads them. */
export class PaymentStore {
  private readonly recent;
  private readonly pending;
  private readonly latestPeriodStmt;
  private readonly openEscalation;

  constructor(sql: Database.Database) {
    this.recent = sql.prepare<[number, number, number], PaymentView>(
      `SELECT ${PAYMENT_COLUMNS} FROM Payment p JOIN PaymentPeriod pp ON pp.id = p.periodId
       WHERE p.beneficiaryId = ? ORDER BY pp.period DESC LIMIT ? OFFSET ?`,
    );
    this.pending = sql.prepare<[number], PendingMethodChange>(
      `SELECT id, reference, requestedMethod, accountProvider, accountLast4, walletPhone, homeReason
       FROM MethodChangeRequest WHERE beneficiaryId = ? AND status = 'pending' ORDER BY id DESC LIMIT 1`,
    );
    this.latestPeriodStmt = sql.prepare<[], { period: string }>(`SELECT MAX(period) AS period FROM PaymentPeriod`);
    this.openEscalation = sql.prepare<[string, string, string], { id: number }>(
      `SELECT id FROM Escalation WHERE channel = ? AND externalId = ? AND topic = ? AND status != 'resolved' LIMIT 1`,
    );
  }

  /** Newest first. */
  payments(beneficiaryId: number, limit: number, offset = 0): PaymentView[] {
    return this.recent.all(beneficiaryId, limit, offset);
  }

  pendingMethodChange(beneficiaryId: number): PendingMethodChange | undefined {
    return this.pending.get(beneficiaryId);
  }

  latestPeriod(): string | null {
    return this.latestPeriodStmt.get()?.period ?? null;
  }

  hasOpenEscalation(channel: string, externalId: string, topic: string): boolean {
    return this.openEscalationId(channel, externalId, topic) !== null;
  }

  /** The id of this channel user's escalation on `topic` that is not resolved yet, or null. */
  openEscalationId(channel: string, externalId: string, topic: string): number | null {
    return this.openEscalation.get(channel, externalId, topic)?.id ?? null;
  }
}
