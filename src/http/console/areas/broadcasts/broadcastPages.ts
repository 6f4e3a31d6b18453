import type { Response } from "express";
import type { Audience } from "../../../../domain/broadcasts/audience.ts";
import type { Broadcast } from "../../../../domain/broadcasts/broadcastRecord.ts";
import { listCommunes } from "../../../../domain/consoleUsers/communes.ts";
import { formatVietnamDateTime } from "../../../../shared/dates.ts";
import type { Services } from "../../../../services.ts";
import { consoleOf } from "../../area.ts";
import { html, type Html } from "../../html.ts";
import { csrfField, sendPage } from "../../layout.ts";
import { PROGRESS_COLUMNS, PROGRESS_ROWS, type ProgressView } from "./broadcastProgressView.ts";

const SHORT_TEXT = 90;

/** The communes' names by id, read once for a page (the audiences name communes by id). */
export async function communeNames(services: Pick<Services, "db">): Promise<CommuneNames> {
  return new Map((await listCommunes(services.db.sql)).map((c) => [c.id, c.name]));
}

export type CommuneNames = ReadonlyMap<number, string>;

/** Who a broadcast is for, in words: "Bắc Sơn · Người cao tuổi · Tài khoản ngân hàng", or everyone. */
export function audienceText(names: CommuneNames, res: Response, audience: Audience): string {
  const { t } = consoleOf(res);
  const parts = [
    audience.communeIds.length ? audience.communeIds.map((id) => names.get(id) ?? `#${id}`).join(", ") : t("broadcasts.every_commune"),
    audience.categories.length ? audience.categories.join(", ") : t("broadcasts.every_category"),
    audience.paymentMethods.length ? audience.paymentMethods.map((m) => t(`method.${m}`)).join(", ") : t("broadcasts.every_method"),
  ];
  return parts.join(" · ");
}

const short = (text: string) => (text.length > SHORT_TEXT ? `${text.slice(0, SHORT_TEXT - 1)}…` : text);

/** The broadcasts of the person's communes, newest first, each with its status and how far it went. */
export async function sendBroadcastList(services: Pick<Services, "db">, res: Response, rows: { broadcast: Broadcast; view: ProgressView | null }[]): Promise<void> {
  const { t } = consoleOf(res);
  const names = await communeNames(services);
  const row = ({ broadcast: b, view }: (typeof rows)[number]) => html`<tr>
    <td>${formatVietnamDateTime(b.createdAt)}<br><span class="hint">${b.createdBy}</span></td>
    <td><a href="/console/broadcasts/${b.id}">${short(b.textVi)}</a></td>
    <td>${audienceText(names, res, b.audience)}</td>
    <td><span class="badge status-${b.status}">${view?.statusLabel ?? t(`broadcast_status.${b.status}`)}</span>${b.scheduledAt ? html`<br><span class="hint">${formatVietnamDateTime(b.scheduledAt)}</span>` : ""}</td>
    <td class="num">${view ? html`${view.summary}` : ""}</td>
  </tr>`;
  sendPage(res, {
    title: t("broadcasts.title"),
    body: html`
<p><a class="button" href="/console/broadcasts/new">${t("broadcasts.new")}</a></p>
<p role="status">${t("broadcasts.count", { count: rows.length })}</p>
${rows.length
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t("broadcasts.caption")}"><table>
  <caption>${t("broadcasts.caption")}</caption>
  <thead><tr><th scope="col">${t("broadcasts.created")}</th><th scope="col">${t("broadcasts.text")}</th><th scope="col">${t("broadcasts.audience")}</th><th scope="col">${t("broadcasts.status")}</th><th scope="col">${t("broadcasts.progress")}</th></tr></thead>
  <tbody>${rows.map(row)}</tbody></table></div>`
  : ""}`,
  });
}

function progressTable(res: Response, view: ProgressView): Html {
  const { t } = consoleOf(res);
  const rowName = (r: (typeof PROGRESS_ROWS)[number]) => (r === "total" ? t("broadcasts.total") : t(`channel.${r}`));
  return html`<div class="table-wrap"><table class="progress-table">
  <caption>${t("broadcasts.progress_caption")}</caption>
  <thead><tr><th scope="col">${t("broadcasts.channel")}</th>${PROGRESS_COLUMNS.map((c) => html`<th scope="col">${t(`broadcasts.column.${c}`)}</th>`)}</tr></thead>
  <tbody>${PROGRESS_ROWS.map((r) => html`<tr${r === "total" ? html` class="total"` : ""}><th scope="row">${rowName(r)}</th>${PROGRESS_COLUMNS.map((c) => html`<td class="num" data-cell="${r}.${c}">${view.cells[`${r}.${c}`]}</td>`)}</tr>`)}</tbody>
</table></div>
<p class="hint">${t("broadcasts.columns_hint")}</p>`;
}

/** Whether cancelling would stop anything: a broadcast not yet out, or one whose USSD messages still wait. */
function cancellable(broadcast: Broadcast, view: ProgressView): boolean {
  if (broadcast.status === "cancelled") return false;
  return broadcast.status !== "sent" || view.cells["total.pending"] + view.cells["total.awaiting"] > 0;
}

/** One broadcast: its texts, audience, times, and its progress, which console.js keeps up to date. */
export async function sendBroadcastDetail(
  services: Pick<Services, "db">,
  res: Response,
  broadcast: Broadcast,
  view: ProgressView,
  options: { status?: number; notice?: string; error?: string } = {},
): Promise<void> {
  const { t } = consoleOf(res);
  const names = await communeNames(services);
  const base = `/console/broadcasts/${broadcast.id}`;
  sendPage(res, {
    status: options.status,
    title: t("broadcasts.detail_title", { id: broadcast.id }),
    notice: options.notice,
    error: options.error,
    body: html`
<p><a href="/console/broadcasts">${t("broadcasts.back")}</a></p>
<section class="live-progress" data-progress-url="${base}/progress.json" data-done="${view.done ? "true" : "false"}" aria-labelledby="progress-h">
  <h2 id="progress-h">${t("broadcasts.progress")}</h2>
  <p><span class="badge status-${view.status}" data-field="statusLabel">${view.statusLabel}</span></p>
  <p><progress max="${Math.max(1, view.total)}" value="${view.settled}" aria-label="${t("broadcasts.progress")}"></progress></p>
  <p role="status" aria-live="polite" data-field="summary">${view.summary}</p>
  ${progressTable(res, view)}
</section>
${cancellable(broadcast, view)
  ? html`<form method="post" action="${base}/cancel" class="cancel-form">${csrfField(res)}<button type="submit" class="danger" data-confirm="${t("broadcasts.confirm_cancel")}">${t("broadcasts.cancel")}</button> <span class="hint">${t("broadcasts.cancel_hint")}</span></form>`
  : ""}
<h2>${t("broadcasts.details")}</h2>
<dl class="facts">
  <dt>${t("broadcasts.audience")}</dt><dd>${audienceText(names, res, broadcast.audience)}</dd>
  <dt>${t("broadcasts.created")}</dt><dd>${formatVietnamDateTime(broadcast.createdAt)} · ${broadcast.createdBy}</dd>
  ${broadcast.scheduledAt ? html`<dt>${t("broadcasts.scheduled_at")}</dt><dd>${formatVietnamDateTime(broadcast.scheduledAt)}</dd>` : ""}
  ${broadcast.sentAt ? html`<dt>${t("broadcasts.sent_at")}</dt><dd>${formatVietnamDateTime(broadcast.sentAt)}</dd>` : ""}
  ${broadcast.cancelledAt ? html`<dt>${t("broadcasts.cancelled_at")}</dt><dd>${formatVietnamDateTime(broadcast.cancelledAt)}</dd>` : ""}
</dl>
<h3>${t("broadcasts.text_vi")}</h3>
<p class="broadcast-text" lang="vi">${broadcast.textVi}</p>
${broadcast.textEn ? html`<h3>${t("broadcasts.text_en")}</h3><p class="broadcast-text" lang="en">${broadcast.textEn}</p>` : ""}`,
  });
}
