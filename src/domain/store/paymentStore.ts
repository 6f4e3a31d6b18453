import { prepare, type Param } from "../../db/query/preparedQuery.ts";
import { qualified } from "../../db/query/qualified.ts";
import type { Row } from "../../db/query/tables.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { PAYMENT_SHOWN_COLUMNS, REQUESTED_METHOD_COLUMNS, type PaymentShown, type RequestedMethod } from "./columnSets.ts";

export type PaymentView = PaymentShown & Pick<Row<"PaymentPeriod">, "period">;

export type PendingMethodChange = RequestedMethod & Pick<Row<"MethodChangeRequest">, "id">;

// Compiled once per dialect: a person's payments are read on most hops.
const RECENT_PAYMENTS = prepare((db, param: Param<{ beneficiaryId: number; limit: number; offset: number }>) =>
  db
    .selectFrom("Payment as p")
    .innerJoin("PaymentPeriod as pp", "pp.id", "p.periodId")
    .select(["pp.period", ...qualified("p", PAYMENT_SHOWN_COLUMNS)])
    .where("p.beneficiaryId", "=", param("beneficiaryId"))
    .orderBy("pp.period", "desc")
    .limit(param("limit"))
    .offset(param("offset")),
);
const PENDING_METHOD_CHANGE = prepare((db, param: Param<{ beneficiaryId: number }>) =>
  db
    .selectFrom("MethodChangeRequest")
    .select(["id", ...REQUESTED_METHOD_COLUMNS])
    .where("beneficiaryId", "=", param("beneficiaryId"))
    .where("status", "=", "pending")
    .orderBy("id", "desc")
    .limit(1),
);
const LATEST_PERIOD = prepare((db) => db.selectFrom("PaymentPeriod").select((eb) => eb.fn.max("period").as("period")));
const OPEN_ESCALATION = prepare((db, param: Param<{ channel: string; externalId: string; topic: string }>) =>
  db
    .selectFrom("Escalation")
    .select("id")
    .where("channel", "=", param("channel"))
    .where("externalId", "=", param("externalId"))
    .where("topic", "=", param("topic"))
    .where("status", "!=", "resolved")
    .limit(1),
);

/** A person's payments and method-change requests, as the conversation reads them. */
export class PaymentStore {
  constructor(private readonly sql: Sql) {}

  /** Newest first. */
  payments(beneficiaryId: number, limit: number, offset = 0): Promise<PaymentView[]> {
    return RECENT_PAYMENTS.all(this.sql, { beneficiaryId, limit, offset });
  }

  pendingMethodChange(beneficiaryId: number): Promise<PendingMethodChange | undefined> {
    return PENDING_METHOD_CHANGE.get(this.sql, { beneficiaryId });
  }

  async latestPeriod(): Promise<string | null> {
    return (await LATEST_PERIOD.get(this.sql, {}))?.period ?? null;
  }

  async hasOpenEscalation(channel: string, externalId: string, topic: string): Promise<boolean> {
    return (await this.openEscalationId(channel, externalId, topic)) !== null;
  }

  /** The id of this channel user's escalation on `topic` that is not resolved yet, or null. */
  async openEscalationId(channel: string, externalId: string, topic: string): Promise<number | null> {
    return (await OPEN_ESCALATION.get(this.sql, { channel, externalId, topic }))?.id ?? null;
  }
}
