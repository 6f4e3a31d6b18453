import { prepare, type Param } from "../../db/query/preparedQuery.ts";
import { qualified } from "../../db/query/qualified.ts";
import type { Row } from "../../db/query/tables.ts";
import type { Sql } from "../../db/sql/sql.ts";
import type { Locale } from "../../engine/session.ts";
import type { Translate } from "../../engine/types.ts";
import { todayInVietnam } from "../../shared/dates.ts";
import { PAYMENT_SHOWN_COLUMNS, REQUESTED_METHOD_COLUMNS } from "../store/columnSets.ts";

/** The columns of an outbox message its sender and the words need. */
export const OUTBOX_ROW_COLUMNS = ["id", "channel", "externalId", "identityId", "paymentId", "methodChangeId", "kind", "locale", "text", "attempts", "deliveryRetries"] as const;
/** `methodChangeId`: the method-change request a decision notice is about. */
export type OutboxRow = Pick<Row<"OutboxMessage">, (typeof OUTBOX_ROW_COLUMNS)[number]>;
import { smsReminderText } from "./smsReminderText.ts";

/** A row left the outbox's hands: sent to the chat, shown on a USSD dial (delivered), given up (failed) or cancelled. */
export type OutboxSettled = (row: OutboxRow, status: "sent" | "delivered" | "failed" | "cancelled") => void | Promise<void>;

const PAYMENT_FACTS = prepare((db, param: Param<{ id: number }>) =>
  db
    .selectFrom("Payment as p")
    .innerJoin("PaymentPeriod as pp", "pp.id", "p.periodId")
    .innerJoin("Beneficiary as b", "b.id", "p.beneficiaryId")
    .select(["b.fullName as name", "pp.period", ...qualified("p", PAYMENT_SHOWN_COLUMNS)])
    .where("p.id", "=", param("id")),
);
const REQUEST_FACTS = prepare((db, param: Param<{ id: number }>) =>
  db
    .selectFrom("MethodChangeRequest as r")
    .innerJoin("Beneficiary as b", "b.id", "r.beneficiaryId")
    .select(["b.fullName as name", "r.status", "r.decisionReason", ...qualified("r", REQUESTED_METHOD_COLUMNS)])
    .where("r.id", "=", param("id")),
);

/**
 * The words of a message the bot starts itself, in the recipient's language, from the data as it
 * is when the message goes out (a moved pay date or a corrected amount shows the new value).
 * Returns null when the message no longer applies (the payment is gone or changed status).
 */
export class OutboxText {
  constructor(
    private readonly sql: Sql,
    private readonly translate: Translate,
  ) {}

  async wordsFor(row: OutboxRow, now: Date): Promise<string | null> {
    const locale = (row.locale === "en" ? "en" : "vi") as Locale;
    if (row.kind === "notice") return row.text;
    if (row.kind === "method_change_approved" || row.kind === "method_change_rejected") return this.decisionWords(row, locale);
    if (row.kind === "sms_unreachable") return this.translate(locale, "sms.unreachable_notice");
    // A personal-data request's answer (domain/privacy/privacyRequests.ts): the staff's words, framed.
    if (row.kind === "privacy_decision") return row.text === null ? null : this.translate(locale, "privacy.decision", { answer: row.text });
    if (row.kind === "operator_reply") return row.text === null ? null : this.translate(locale, "notice.operator_reply", { text: row.text });
    const payment = row.paymentId === null ? undefined : await PAYMENT_FACTS.get(this.sql, { id: row.paymentId });
    if (!payment) return null;
    const vars = { payment: { ...payment, paidDate: payment.paidAt ? todayInVietnam(new Date(payment.paidAt)) : null } };
    const t = (key: string) => this.translate(locale, key, vars);
    // A result list may leave the date or the reason blank: a sentence never ends in an empty slot.
    if (!payment.failureReason) vars.payment.failureReason = this.translate(locale, "notice.no_reason_given");
    switch (row.kind) {
      case "reminder_before":
      case "reminder_day": {
        // A reminder that missed its day (quiet hours, a long outage) would say the wrong thing.
        const today = todayInVietnam(now);
        if (payment.status !== "scheduled" || payment.payDate < today || (row.kind === "reminder_before" && payment.payDate === today)) return null;
        // By SMS a reminder is one part: its own shorter sentences, the name shortened if need be.
        if (row.channel === "sms") return smsReminderText(this.translate, locale, row.kind, payment);
        const how = payment.method === "cash" ? "notice.reminder_cash" : payment.method === "cash_home" ? "notice.reminder_home" : "notice.reminder_account";
        return [t(row.kind === "reminder_day" ? "notice.reminder_today" : "notice.reminder_soon"), t(how), t("notice.stop_reminders")].join("\n");
      }
      case "payment_paid":
        return payment.status === "paid"
          ? [t(vars.payment.paidDate ? "notice.paid" : "notice.paid_undated"), ...(payment.accountLast4 ? [t("notice.paid_to_account")] : [])].join("\n")
          : null;
      case "payment_failed":
      case "payment_returned":
        return payment.status === row.kind.slice("payment_".length) ? [t(`notice.${payment.status}`), t("notice.what_to_do")].join("\n") : null;
      default:
        throw new Error(`no words for outbox kind "${row.kind}"`);
    }
  }

  /** Staff decided a method-change request: what was decided, masked; null once the decision no longer stands (superseded). */
  private async decisionWords(row: OutboxRow, locale: Locale): Promise<string | null> {
    const request = row.methodChangeId === null ? undefined : await REQUEST_FACTS.get(this.sql, { id: row.methodChangeId });
    if (!request) return null;
    const t = (key: string) => this.translate(locale, key, { request: { ...request, decisionReason: request.decisionReason?.replace(/[\s.]+$/, "") } });
    if (row.kind === "method_change_rejected") {
      return request.status === "rejected" ? [t("notice.method_change_rejected"), t("notice.what_to_do")].join("\n") : null;
    }
    if (request.status !== "approved" && request.status !== "exported") return null;
    const where =
      request.requestedMethod === "bank" ? ["notice.method_change_to_account"] : request.requestedMethod === "mobile_money" ? ["notice.method_change_to_wallet"] : [];
    return [t("notice.method_change_approved"), ...where.map(t), t("method.never_pin")].join("\n");
  }
}

/** The sentence keys outbox messages use: checked by `flows check` like the flows' own. */
export const OUTBOX_KEYS = [
  "notice.reminder_soon",
  "notice.reminder_today",
  "notice.reminder_cash",
  "notice.reminder_home",
  "notice.reminder_account",
  "notice.stop_reminders",
  "notice.paid",
  "notice.paid_undated",
  "notice.no_reason_given",
  "notice.paid_to_account",
  "notice.failed",
  "notice.returned",
  "notice.what_to_do",
  "notice.ussd_heading",
  "notice.method_change_approved",
  "notice.method_change_to_account",
  "notice.method_change_to_wallet",
  "notice.method_change_rejected",
  "method.never_pin",
  "notice.operator_reply",
  "sms.unreachable_notice",
];
