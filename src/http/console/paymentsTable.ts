import type { ConsoleTranslate } from "../../i18n/consoleTranslator.ts";
import { formatCalendarDate, formatPeriod } from "../../shared/dates.ts";
import { formatVnd } from "../../shared/money.ts";
import { html, type Html } from "./html.ts";

/** A payment as a console page lists it; `account` is already masked ("***6789") where given. */
export interface PaymentLine {
  period: string;
  amount: number;
  backPay: number;
  method: string;
  payDate: string;
  status: string;
  failureReason: string | null;
  accountProvider?: string | null;
  account?: string | null;
}

/** A person's payments, newest first as given: period, amount (and back pay), pay date, method, result. */
export function paymentsTable(t: ConsoleTranslate, payments: PaymentLine[]): Html {
  if (!payments.length) return html`<p>${t("people.none")}</p>`;
  const row = (p: PaymentLine) => html`<tr><td>${formatPeriod(p.period)}</td><td class="num">${formatVnd(p.amount)}${p.backPay ? html`<br><span class="hint">${t("people.back_pay", { amount: formatVnd(p.backPay) })}</span>` : ""}</td><td>${formatCalendarDate(p.payDate)}</td><td>${t(`method.${p.method}`)}${p.account ? ` · ${p.accountProvider ?? ""} ${p.account}` : ""}</td><td>${t(`payment_status.${p.status}`)}${p.failureReason ? html`<br><span class="hint">${p.failureReason}</span>` : ""}</td></tr>`;
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t("people.payments")}"><table>
  <thead><tr><th scope="col">${t("people.period")}</th><th scope="col">${t("people.amount")}</th><th scope="col">${t("people.pay_date")}</th><th scope="col">${t("people.method")}</th><th scope="col">${t("people.payment_status")}</th></tr></thead>
  <tbody>${payments.map(row)}</tbody>
</table></div>`;
}
