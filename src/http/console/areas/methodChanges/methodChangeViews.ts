import type { Response } from "express";
import type { MethodChangeListing } from "../../../../domain/methodChanges/listMethodChanges.ts";
import { formatVietnamDateTime } from "../../../../shared/dates.ts";
import { consoleOf } from "../../area.ts";
import { formatDuration } from "../../duration.ts";
import { html, type Html } from "../../html.ts";
import { csrfField, sendPage } from "../../layout.ts";

/** Methods whose request names an account or a wallet: the ones a reveal can show. */
const REVEALABLE_METHODS = ["bank", "mobile_money"];

/** "Tài khoản ngân hàng · Agribank ***7777", "Tiền mặt tại nhà · Ốm đau": the requested method, masked. */
export function requestedMethod(res: Response, request: MethodChangeListing): string {
  const { t } = consoleOf(res);
  const extra = request.requestedMethod === "cash_home" ? (request.homeReason ? t(`home_reason.${request.homeReason}`) : "") : request.details;
  return [t(`method.${request.requestedMethod}`), extra].filter(Boolean).join(" · ");
}

/** How the person is paid now, masked the same way. */
export function currentMethod(res: Response, request: MethodChangeListing): string {
  const { t } = consoleOf(res);
  if (!request.current.method) return t("method_changes.unknown");
  const details = request.current.method === "bank" || request.current.method === "mobile_money" ? request.current.details : "";
  return [t(`method.${request.current.method}`), details].filter(Boolean).join(" · ");
}

export function requester(res: Response, request: MethodChangeListing): string {
  const { t } = consoleOf(res);
  const who = request.requester.kind === "guardian" ? t("method_changes.requester_guardian") : t("method_changes.requester_self");
  return request.requester.name ? `${request.requester.name} (${who})` : who;
}

export interface DetailOptions {
  status?: number;
  error?: string;
  /** What was typed in the forms, kept after a refusal. */
  note?: string;
  reason?: string;
  /** Which field the error is about. */
  invalid?: "note" | "reason";
}

/** One request: who, what, how they are paid now, and (while pending) approve, reject and reveal. */
export function sendMethodChangeDetail(res: Response, request: MethodChangeListing, now: Date, options: DetailOptions = {}): void {
  const { t } = consoleOf(res);
  const base = `/console/method-changes/${request.id}`;
  const pending = request.status === "pending";
  const invalid = (field: "note" | "reason") => (options.invalid === field ? html` aria-invalid="true" aria-describedby="form-error"` : "");
  sendPage(res, {
    status: options.status,
    title: t("method_changes.detail_title", { reference: request.reference }),
    error: null,
    body: html`
<p><a href="/console/method-changes">${t("method_changes.back")}</a></p>
${options.error ? html`<p class="error" role="alert" id="form-error">${options.error}</p>` : ""}
<dl class="facts">
  <dt>${t("method_changes.status")}</dt><dd><span class="badge status-${request.status}">${t(`method_change_status.${request.status}`)}</span></dd>
  <dt>${t("method_changes.person")}</dt><dd><a href="/console/people/${request.beneficiaryId}">${request.fullName}</a> <span class="hint">${request.beneficiaryCode}</span></dd>
  <dt>${t("method_changes.commune")}</dt><dd>${request.commune}</dd>
  <dt>${t("method_changes.requested")}</dt><dd>${requestedMethod(res, request)}</dd>
  <dt>${t("method_changes.current")}</dt><dd>${currentMethod(res, request)}</dd>
  <dt>${t("method_changes.requester")}</dt><dd>${requester(res, request)}</dd>
  <dt>${t("method_changes.channel")}</dt><dd>${t(`channel.${request.channel}`)}</dd>
  <dt>${t("method_changes.verification")}</dt><dd>${t(`verification.${request.verification}`)}</dd>
  <dt>${t("method_changes.created")}</dt><dd>${formatVietnamDateTime(request.createdAt)}${pending ? html` <span class="hint">${t("method_changes.waited", { duration: formatDuration(now.getTime() - request.createdAt.getTime(), t) })}</span>` : ""}</dd>
  ${request.decidedAt ? html`<dt>${t("method_changes.decided")}</dt><dd>${formatVietnamDateTime(request.decidedAt)} · ${request.decidedBy ?? ""}</dd>` : ""}
  ${request.decisionReason ? html`<dt>${t("method_changes.reason")}</dt><dd>${request.decisionReason}</dd>` : ""}
</dl>
${REVEALABLE_METHODS.includes(request.requestedMethod)
  ? html`<form method="post" action="${base}/reveal" class="reveal">${csrfField(res)}
  <button type="submit" class="secondary">${t("method_changes.reveal")}</button> <span class="hint">${t("method_changes.reveal_hint")}</span></form>`
  : ""}
${pending
  ? html`<div class="decisions">
<form method="post" action="${base}/approve" class="stack" aria-labelledby="approve-h">${csrfField(res)}
  <h2 id="approve-h">${t("method_changes.approve_title")}</h2>
  <div><label for="note">${t("method_changes.note")} <span class="hint">${t("method_changes.note_hint")}</span></label>
    <textarea id="note" name="note" rows="2" maxlength="600"${invalid("note")}>${options.note ?? ""}</textarea></div>
  <div><button type="submit" data-confirm="${t("method_changes.confirm_approve", { reference: request.reference })}">${t("method_changes.approve")}</button></div>
</form>
<form method="post" action="${base}/reject" class="stack" aria-labelledby="reject-h">${csrfField(res)}
  <h2 id="reject-h">${t("method_changes.reject_title")}</h2>
  <div><label for="reason">${t("method_changes.reason")} <span class="hint">${t("method_changes.reason_hint")}</span></label>
    <textarea id="reason" name="reason" rows="2" maxlength="600" required${invalid("reason")}>${options.reason ?? ""}</textarea></div>
  <div><button type="submit" class="danger">${t("method_changes.reject")}</button></div>
</form>
</div>`
  : html`<p class="hint">${t("method_changes.read_only")}</p>`}`,
  });
}

/** The full account or wallet number, once, on a page of its own (the reveal is audited by the domain). */
export function revealedAccountBody(res: Response, request: MethodChangeListing, shown: { provider: string | null; number: string }): Html {
  const { t } = consoleOf(res);
  return html`<p>${t("method_changes.revealed_for", { reference: request.reference, name: request.fullName })}</p>
<p>${shown.provider ? html`${shown.provider} ` : ""}<span class="secret" aria-label="${t("method_changes.account_number")}">${shown.number}</span></p>
<p class="hint">${t("method_changes.revealed_once")}</p>
<p><a href="/console/method-changes/${request.id}">${t("method_changes.back_to_request")}</a></p>`;
}
