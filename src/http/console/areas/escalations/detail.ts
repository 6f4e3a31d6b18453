import type { Response } from "express";
import type { EscalationDetail, ConversationEntry, EscalatedPerson } from "../../../../domain/escalations/escalationDetail.ts";
import { MAX_NOTE_LENGTH, MAX_REASON_LENGTH, MAX_REPLY_LENGTH } from "../../../../domain/escalations/escalationDesk.ts";
import type { EscalationSummary } from "../../../../domain/escalations/escalationQueues.ts";
import { formatCalendarDate, formatVietnamDateTime } from "../../../../shared/dates.ts";
import { consoleOf } from "../../area.ts";
import { html, type Html } from "../../html.ts";
import { csrfField, sendPage } from "../../layout.ts";
import { paymentsTable } from "../../paymentsTable.ts";
import { deliveryLabel, formatWaiting, personLabel, statusLabel, systemText, type OperatorName } from "./words.ts";

/** A form's field that was refused, and the words the operator had typed (given back, not lost). */
export interface DetailProblem {
  status: number;
  error: string;
  field?: "reply" | "note" | "reason";
  drafts?: { reply?: string; note?: string; reason?: string };
}

const liveId = (id: number) => `/console/escalations/${id}/live`;

function entryHeading(entry: ConversationEntry, t: (key: string, params?: Record<string, unknown>) => string, name: OperatorName): string {
  switch (entry.kind) {
    case "person":
      return t(entry.toOperator ? "escalations.who.person_to_operator" : "escalations.who.person");
    case "bot":
      return t("escalations.who.bot");
    case "operator_reply":
      return t("escalations.who.operator_reply", { name: name(entry.author) });
    case "note":
      return t("escalations.who.note", { name: name(entry.author) });
    default:
      return t("escalations.who.system");
  }
}

/** The part of the page that follows the escalation live: where it stands, and the whole conversation in time order. */
export function detailLive(res: Response, detail: EscalationDetail, name: OperatorName): Html {
  const { t } = consoleOf(res);
  const e = detail.escalation;
  const entry = (item: ConversationEntry) => html`<li class="entry entry-${item.kind}${item.toOperator ? " to-operator" : ""}"${item.messageId === null ? "" : html` data-message="${item.messageId}"`}>
    <p class="meta"><span class="who">${entryHeading(item, t, name)}</span> <time datetime="${item.at.toISOString()}">${formatVietnamDateTime(item.at)}</time>${
      item.channelDelivery ? html` <span class="badge delivery delivery-${item.channelDelivery}">${deliveryLabel(item.channelDelivery, e.channel, t)}</span>` : ""
    }</p>
    <p class="text">${item.kind === "system" ? systemText(item.text, name(item.author), t) : item.text}</p>
  </li>`;
  return html`<dl class="facts">
  <dt>${t("escalations.state")}</dt><dd class="state">${statusLabel(e, t, name)}</dd>
  <dt>${t("escalations.topic_label")}</dt><dd>${t(`escalations.topic.${e.topic}`)}</dd>
  <dt>${t("escalations.channel")}</dt><dd>${t(`channel.${e.channel}`)}${detail.contact.unreachable ? html` <span class="badge bad">${t("people.unreachable")}</span>` : ""}</dd>
  <dt>${t("escalations.opened_at")}</dt><dd>${formatVietnamDateTime(e.createdAt)}</dd>
  <dt>${t(e.status === "open" ? "escalations.waiting" : "escalations.waited")}</dt><dd>${formatWaiting(e.waitingSeconds, t)}</dd>
  ${e.details ? html`<dt>${t("escalations.details")}</dt><dd class="text">${e.details}</dd>` : ""}
  ${e.status === "resolved" ? html`<dt>${t("escalations.resolution")}</dt><dd class="text">${e.resolution ?? ""}</dd>` : ""}
</dl>
<h2 id="conversation-heading">${t("escalations.conversation")}</h2>
${detail.conversation.length
  ? html`<ol class="conversation" aria-labelledby="conversation-heading">${detail.conversation.map(entry)}</ol>`
  : html`<p>${t("escalations.no_conversation")}</p>`}`;
}

function actions(res: Response, e: EscalationSummary, problem: DetailProblem | undefined, name: OperatorName): Html {
  const { t, scope } = consoleOf(res);
  const me = scope.user.username;
  const mine = e.status === "claimed" && e.assignedTo === me;
  const path = `/console/escalations/${e.id}`;
  const drafts = problem?.drafts ?? {};
  const invalid = (field: DetailProblem["field"]) => (problem?.field === field ? html` aria-invalid="true" aria-describedby="action-error"` : "");
  const claim = html`<form method="post" action="${path}/claim">${csrfField(res)}<button type="submit">${t("escalations.claim")}</button></form>`;
  const reply = html`<form method="post" action="${path}/reply" class="stack">${csrfField(res)}
    <div><label for="reply-text">${t("escalations.reply_label")}</label>
    <span class="hint" id="reply-hint">${t(e.channel === "ussd" ? "escalations.reply_hint_ussd" : "escalations.reply_hint_chat", { channel: t(`channel.${e.channel}`) })}</span>
    <textarea id="reply-text" name="text" rows="4" maxlength="${MAX_REPLY_LENGTH}" required aria-describedby="reply-hint"${invalid("reply")}>${drafts.reply ?? ""}</textarea></div>
    <div><button type="submit">${t("escalations.send_reply")}</button></div></form>`;
  const handBack = e.handedBackAt
    ? html`<p class="hint">${t("escalations.with_bot_hint")}</p>`
    : html`<form method="post" action="${path}/hand-back">${csrfField(res)}<button type="submit" class="secondary">${t("escalations.hand_back")}</button><span class="hint">${t("escalations.hand_back_hint")}</span></form>`;
  const resolve = html`<form method="post" action="${path}/resolve" class="stack">${csrfField(res)}
    <div><label for="resolve-reason">${t("escalations.reason_label")}</label>
    <input id="resolve-reason" name="reason" maxlength="${MAX_REASON_LENGTH}" required value="${drafts.reason ?? ""}"${invalid("reason")}></div>
    <div><button type="submit" class="secondary">${t("escalations.resolve")}</button></div></form>`;
  const note = html`<form method="post" action="${path}/note" class="stack">${csrfField(res)}
    <div><label for="note-text">${t("escalations.note_label")}</label>
    <span class="hint" id="note-hint">${t("escalations.note_hint")}</span>
    <textarea id="note-text" name="text" rows="3" maxlength="${MAX_NOTE_LENGTH}" required aria-describedby="note-hint"${invalid("note")}>${drafts.note ?? ""}</textarea></div>
    <div><button type="submit" class="secondary">${t("escalations.add_note")}</button></div></form>`;
  let main: Html;
  if (e.status === "open") main = html`${claim}<h3>${t("escalations.resolve_heading")}</h3>${resolve}`;
  else if (mine) main = html`${reply}<div class="actions">${handBack}</div><h3>${t("escalations.resolve_heading")}</h3>${resolve}`;
  else if (e.status === "claimed") main = html`<p class="held">${t("escalations.held_by_another", { name: name(e.assignedTo) })}</p>`;
  else main = html``;
  // A reply refused because the operator does not hold the escalation: their words, to copy, not lost.
  if (!mine && drafts.reply) main = html`${main}<p>${t("escalations.unsent_reply")}</p><blockquote class="text unsent">${drafts.reply}</blockquote>`;
  return html`<section class="desk" aria-labelledby="actions-heading"><h2 id="actions-heading">${t("escalations.actions")}</h2>
${main}
<h3>${t("escalations.note_heading")}</h3>${note}</section>`;
}

function personFacts(res: Response, detail: EscalationDetail): Html {
  const { t } = consoleOf(res);
  const p: EscalatedPerson | null = detail.person;
  const contact = detail.contact;
  const how = html`<dt>${t("escalations.identified_by")}</dt><dd>${contact.verification ? t(`escalations.verification.${contact.verification}`) : t("escalations.not_identified")}${contact.guardianName ? html` · ${t("escalations.guardian", { name: contact.guardianName })}` : ""}</dd>
  <dt>${t("escalations.language")}</dt><dd>${t(`escalations.locale.${contact.locale === "en" ? "en" : "vi"}`)}</dd>`;
  if (!p) return html`<dl class="facts">${how}</dl><p>${t("escalations.unidentified_hint")}</p>`;
  const method = p.method.method ? t(`method.${p.method.method}`) : t("people.none");
  const pending = p.pendingMethodChange;
  return html`<dl class="facts">
  <dt>${t("people.name")}</dt><dd>${p.fullName}</dd>
  <dt>${t("people.code")}</dt><dd>${p.code}</dd>
  <dt>${t("people.commune")}</dt><dd>${p.communeName}${p.village ? `, ${p.village}` : ""}</dd>
  <dt>${t("people.category")}</dt><dd>${p.category}</dd>
  <dt>${t("people.status")}</dt><dd>${t(`person_status.${p.status}`)}</dd>
  <dt>${t("people.date_of_birth")}</dt><dd>${formatCalendarDate(p.dateOfBirth)}</dd>
  <dt>${t("people.phone")}</dt><dd>${p.phone ?? t("people.none")}</dd>
  <dt>${t("people.citizen_id")}</dt><dd>${p.citizenId ?? t("people.none")}</dd>
  <dt>${t("people.method")}</dt><dd>${method}${p.method.account ? ` · ${p.method.accountProvider ?? ""} ${p.method.account}` : ""}${p.method.payPoint ? ` · ${p.method.payPoint}` : ""}</dd>
  ${pending ? html`<dt>${t("escalations.pending_change")}</dt><dd>${pending.reference}: ${t(`method.${pending.requestedMethod}`)}${pending.account ? ` · ${pending.accountProvider ?? ""} ${pending.account}` : ""}</dd>` : ""}
  <dt>${t("people.receivers")}</dt><dd>${p.receivers.length ? p.receivers.map((r) => `${r.name}${r.relation ? ` (${r.relation})` : ""}`).join(", ") : t("people.none")}</dd>
  ${how}
</dl>`;
}

function earlier(res: Response, detail: EscalationDetail, name: OperatorName): Html {
  const { t } = consoleOf(res);
  if (!detail.earlier.length) return html`<p>${t("escalations.no_earlier")}</p>`;
  return html`<ul class="earlier">${detail.earlier.map(
    (e) => html`<li><a href="/console/escalations/${e.id}">#${e.id} · ${formatVietnamDateTime(e.createdAt)} · ${t(`escalations.topic.${e.topic}`)}</a> · ${statusLabel(e, t, name)}${e.resolution ? html` <span class="hint">${e.resolution}</span>` : ""}</li>`,
  )}</ul>`;
}

/** The whole escalation: where it stands and the conversation (kept live), what the operator may do, the person, their payments, earlier escalations. */
export function sendDetail(res: Response, detail: EscalationDetail, live: { cursor: string }, name: OperatorName, problem?: DetailProblem): void {
  const { t } = consoleOf(res);
  const e = detail.escalation;
  sendPage(res, {
    status: problem?.status,
    title: `#${e.id} · ${personLabel(e, t)}`,
    body: html`<p><a href="/console/escalations">${t("escalations.back")}</a></p>
${problem ? html`<p class="error" role="alert" id="action-error">${problem.error}</p>` : ""}
<div class="escalation-layout">
<div class="escalation-main">
<section id="escalation-live" data-live="${liveId(e.id)}" data-live-id="${e.id}" data-live-events="/console/escalations/events" data-live-changes="/console/escalations/changes" data-live-cursor="${live.cursor}">
${detailLive(res, detail, name)}
</section>
<p class="hint live-status" role="status" data-live-status data-live-message="${t("escalations.live_updated")}"></p>
${actions(res, e, problem, name)}
</div>
<aside class="escalation-side" aria-labelledby="person-heading">
<h2 id="person-heading">${t("escalations.person")}</h2>
${personFacts(res, detail)}
<h2>${t("people.payments")}</h2>
${paymentsTable(t, detail.payments)}
<h2>${t("escalations.earlier")}</h2>
${earlier(res, detail, name)}
</aside>
</div>`,
  });
}
