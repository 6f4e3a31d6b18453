import type { Response } from "express";
import type { EscalationDesk } from "../../../../domain/escalations/escalationDesk.ts";
import type { EscalationSummary, QueueOptions } from "../../../../domain/escalations/escalationQueues.ts";
import { formatVietnamDateTime } from "../../../../shared/dates.ts";
import { consoleOf } from "../../area.ts";
import { html, type Html } from "../../html.ts";
import { pager } from "../../pager.ts";
import type { Scope } from "../../scope.ts";
import { formatWaiting, personLabel, statusLabel, type OperatorName } from "./words.ts";

const QUEUES = ["unassigned", "mine", "all", "resolved"] as const;
export type QueueName = (typeof QUEUES)[number];
const QUEUE_PAGE_SIZE = 25;

/** ?tab= as a queue (absent: unassigned), or null when it names none. */
export function queueName(value: unknown): QueueName | null {
  if (value === undefined || value === "") return "unassigned";
  return typeof value === "string" && (QUEUES as readonly string[]).includes(value) ? (value as QueueName) : null;
}

/** The desk's options for what this person may see: every commune, or their own (commune staff). */
export function deskScope(scope: Scope): Pick<QueueOptions, "communeIds"> {
  return scope.communeIds === "all" ? {} : { communeIds: [...scope.communeIds] };
}

/** The address of a queue's page (or, with `fragment`, of the part the page refreshes). */
export function queuePath(queue: QueueName, page = 1, fragment = false): string {
  const params = new URLSearchParams({ tab: queue });
  if (page > 1) params.set("page", String(page));
  return `/console/escalations${fragment ? "/queue" : ""}?${params}`;
}

async function list(desk: EscalationDesk, queue: QueueName, user: string, options: QueueOptions): Promise<EscalationSummary[]> {
  if (queue === "mine") return await desk.mine(user, options);
  return await desk[queue](options);
}

/**
 * The tabs (with how many each queue holds), the queue's page and its pager: the part of the queue
 * page that is read again when something changes.
 */
export async function queueFragment(res: Response, desk: EscalationDesk, queue: QueueName, page: number, name: OperatorName): Promise<Html> {
  const { t, scope } = consoleOf(res);
  const options = deskScope(scope);
  const counts = await desk.counts(scope.user.username, options);
  const escalations = await list(desk, queue, scope.user.username, { ...options, limit: QUEUE_PAGE_SIZE, offset: (page - 1) * QUEUE_PAGE_SIZE });
  const tabs = QUEUES.map(
    (name) =>
      html`<li><a href="${queuePath(name)}"${name === queue ? html` aria-current="page"` : ""}>${t(`escalations.queue.${name}`)} <span class="count">${counts[name]}</span></a></li>`,
  );
  const row = (e: EscalationSummary) => html`<tr data-escalation="${e.id}">
    <td><a href="/console/escalations/${e.id}">#${e.id} · ${personLabel(e, t)}</a><span class="hint">${t(`escalations.topic.${e.topic}`)}</span></td>
    <td>${e.communeName ?? ""}</td>
    <td>${t(`channel.${e.channel}`)}</td>
    <td>${statusLabel(e, t, name)}${e.status === "resolved" && e.resolution ? html`<span class="hint">${e.resolution}</span>` : ""}</td>
    <td>${e.status === "open" ? html`<strong>${formatWaiting(e.waitingSeconds, t)}</strong>` : formatWaiting(e.waitingSeconds, t)}</td>
    <td>${formatVietnamDateTime(e.lastActivityAt)}</td>
  </tr>`;
  return html`<nav class="tabs" aria-label="${t("escalations.queues")}"><ul>${tabs}</ul></nav>
${escalations.length
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t(`escalations.caption.${queue}`)}"><table class="queue">
  <caption>${t(`escalations.caption.${queue}`)}</caption>
  <thead><tr><th scope="col">${t("escalations.person")}</th><th scope="col">${t("people.commune")}</th><th scope="col">${t("escalations.channel")}</th><th scope="col">${t("escalations.state")}</th><th scope="col">${t("escalations.waiting")}</th><th scope="col">${t("escalations.last_activity")}</th></tr></thead>
  <tbody>${escalations.map(row)}</tbody></table></div>`
  : html`<p class="empty">${t(`escalations.empty.${queue}`)}</p>`}
${pager(res, { path: "/console/escalations", params: { tab: queue }, page, pageSize: QUEUE_PAGE_SIZE, total: counts[queue] })}`;
}
