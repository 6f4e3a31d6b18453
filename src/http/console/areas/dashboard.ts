import { Router, type Response } from "express";
import { audit } from "../../../domain/audit.ts";
import { DASHBOARD_CHANNELS, dashboardFigures, MESSAGE_CHANNELS, PAYMENT_STATUSES, type DashboardFigures } from "../../../domain/dashboard/dashboardFigures.ts";
import { formatPeriod, todayInVietnam } from "../../../shared/dates.ts";
import { formatVnd } from "../../../shared/money.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { barChart } from "../charts.ts";
import { formatDuration } from "../duration.ts";
import { html, type Html } from "../html.ts";
import { sendBadRequest, sendNotFound, sendPage } from "../layout.ts";
import { communeFilterParam, communesInScope } from "../params.ts";

const PAYMENT_TONES = { scheduled: "muted", paid: "ok", failed: "bad", returned: "warn" } as const;

/** The month this is in Vietnam, yyyy-mm: the dashboard's default period. */
function currentPeriod(now: Date): string {
  return todayInVietnam(now).slice(0, 7);
}

function tile(label: string, value: string, extra: Html | string = ""): Html {
  return html`<li><span class="figure">${value}</span><span class="figure-label">${label}</span>${extra}</li>`;
}

/**
 * What the retention job's deletions mean for the month's figures, in words a staff member reads:
 * on the province view the deleted lines are counted (their counts were kept); on a commune's they
 * cannot be (the counts have no commune), and the page says so rather than show a smaller number
 * as if it were whole.
 */
function deletionNotes(res: Response, figures: DashboardFigures, retentionDays: number): { messages: Html | string; reached: Html | string } {
  const { t } = consoleOf(res);
  const { messages } = figures;
  if (!messages.deleted && !messages.deletedNotCounted) return { messages: "", reached: "" };
  return {
    messages: messages.deletedNotCounted
      ? html`<p class="hint">${t("dashboard.messages_deleted_not_counted", { days: retentionDays })}</p>`
      : html`<p class="hint">${t("dashboard.messages_deleted_included", { count: messages.deleted, days: retentionDays })}</p>`,
    reached: html`<p class="hint">${t("dashboard.reached_after_deletion", { days: retentionDays })}</p>`,
  };
}

function figuresBody(res: Response, figures: DashboardFigures, retentionDays: number): Html {
  const { t, scope } = consoleOf(res);
  const channelName = (c: (typeof MESSAGE_CHANNELS)[number]) => t(`channel.${c}`);
  const { peopleReached: reached, messages, payments, reminders, escalations } = figures;
  const notes = deletionNotes(res, figures, retentionDays);
  const waiting = (ms: number | null) => (ms === null ? t("dashboard.nobody_waiting") : formatDuration(ms, t));

  const reachedTable = html`<table class="visually-hidden"><caption>${t("dashboard.reached_title")}</caption>
    <thead><tr><th scope="col">${t("dashboard.channel")}</th><th scope="col">${t("dashboard.people")}</th></tr></thead>
    <tbody>${DASHBOARD_CHANNELS.map((c) => html`<tr><th scope="row">${channelName(c)}</th><td class="num">${reached[c]}</td></tr>`)}</tbody></table>`;
  const messagesTable = html`<table class="visually-hidden"><caption>${t("dashboard.messages_title")}</caption>
    <thead><tr><th scope="col">${t("dashboard.channel")}</th><th scope="col">${t("dashboard.messages")}</th></tr></thead>
    <tbody>${MESSAGE_CHANNELS.map((c) => html`<tr><th scope="row">${channelName(c)}</th><td class="num">${messages.byChannel[c]}</td></tr>`)}</tbody></table>`;
  const paymentsTable = html`<div class="table-wrap"><table><caption>${t("dashboard.payments_title")}</caption>
    <thead><tr><th scope="col">${t("dashboard.payment_status")}</th><th scope="col">${t("dashboard.payments_count")}</th><th scope="col">${t("dashboard.amount")}</th></tr></thead>
    <tbody>${PAYMENT_STATUSES.map((s) => html`<tr><th scope="row">${t(`payment_status.${s}`)}</th><td class="num">${payments[s].count}</td><td class="num">${formatVnd(payments[s].amount)}</td></tr>`)}
    <tr class="total"><th scope="row">${t("dashboard.total")}</th><td class="num">${payments.total.count}</td><td class="num">${formatVnd(payments.total.amount)}</td></tr></tbody></table></div>`;
  const remindersTable = html`<table class="visually-hidden"><caption>${t("dashboard.reminders_title")}</caption>
    <thead><tr><th scope="col">${t("dashboard.channel")}</th><th scope="col">${t("dashboard.reminders")}</th></tr></thead>
    <tbody>${DASHBOARD_CHANNELS.map((c) => html`<tr><th scope="row">${channelName(c)}</th><td class="num">${reminders.byChannel[c]}</td></tr>`)}</tbody></table>`;

  return html`
<ul class="tiles">
  ${tile(t("dashboard.tile_reached"), String(reached.total))}
  ${tile(t("dashboard.tile_messages"), String(messages.byChannel.total))}
  ${tile(t("dashboard.tile_paid"), `${payments.paid.count}/${payments.total.count}`, html`<span class="hint">${formatVnd(payments.paid.amount)}</span>`)}
  ${tile(t("dashboard.tile_reminders"), String(reminders.sent + reminders.delivered))}
  ${tile(t("dashboard.tile_escalations"), String(escalations.open), html`<span class="hint">${t("dashboard.unclaimed", { count: escalations.unclaimed })}</span>${scope.hasRole("operator", "admin") ? html` <a href="/console/escalations">${t("dashboard.open_escalations")}</a>` : ""}`)}
  ${figures.sms.sent ? tile(t("dashboard.tile_sms"), String(figures.sms.sent), html`<span class="hint">${t("dashboard.sms_delivery", figures.sms)}</span>`) : ""}
  ${tile(t("dashboard.tile_method_changes"), String(figures.pendingMethodChanges), scope.hasRole("staff", "admin") ? html`<a href="/console/method-changes">${t("dashboard.open_method_changes")}</a>` : "")}
</ul>
<div class="charts">
<section aria-labelledby="reached-h"><h2 id="reached-h">${t("dashboard.reached_title")}</h2>
  <p class="hint">${t("dashboard.reached_hint")}</p>
  ${notes.reached}
  ${barChart({ caption: t("dashboard.people_per_channel", { count: reached.total }), bars: DASHBOARD_CHANNELS.map((c) => ({ label: channelName(c), value: reached[c] })), table: reachedTable })}
</section>
<section aria-labelledby="messages-h"><h2 id="messages-h">${t("dashboard.messages_title")}</h2>
  <p class="hint">${t("dashboard.messages_hint")}</p>
  ${notes.messages}
  ${barChart({ caption: t("dashboard.messages_per_channel", { count: messages.byChannel.total }), bars: MESSAGE_CHANNELS.map((c) => ({ label: channelName(c), value: messages.byChannel[c] })), table: messagesTable })}
</section>
<section aria-labelledby="payments-h"><h2 id="payments-h">${t("dashboard.payments_title")}</h2>
  ${barChart({ caption: t("dashboard.payments_per_status", { count: payments.total.count }), bars: PAYMENT_STATUSES.map((s) => ({ label: t(`payment_status.${s}`), value: payments[s].count, tone: PAYMENT_TONES[s] })), table: paymentsTable })}
</section>
<section aria-labelledby="reminders-h"><h2 id="reminders-h">${t("dashboard.reminders_title")}</h2>
  <p>${t("dashboard.reminders_sent", { sent: reminders.sent, delivered: reminders.delivered })}</p>
  <p>${t("dashboard.voice_calls", { ...figures.voiceCalls, unanswered: figures.voiceCalls.no_answer + figures.voiceCalls.busy + figures.voiceCalls.failed })}</p>
  ${barChart({ caption: t("dashboard.reminders_per_channel"), bars: DASHBOARD_CHANNELS.map((c) => ({ label: channelName(c), value: reminders.byChannel[c] })), table: remindersTable })}
</section>
<section aria-labelledby="escalations-h"><h2 id="escalations-h">${t("dashboard.escalations_title")}</h2>
  <dl class="facts">
    <dt>${t("dashboard.open")}</dt><dd>${escalations.open}</dd>
    <dt>${t("dashboard.unclaimed_label")}</dt><dd>${escalations.unclaimed}</dd>
    <dt>${t("dashboard.oldest_waiting")}</dt><dd>${waiting(escalations.oldestWaitingMs)}</dd>
    <dt>${t("dashboard.median_waiting")}</dt><dd>${waiting(escalations.medianWaitingMs)}</dd>
  </dl>
  <p class="hint">${t("dashboard.now_hint")}</p>
</section>
</div>`;
}

/**
 * /console/dashboard?period=yyyy-mm&commune=ID: the figures of a month (the current one in Vietnam
 * by default) for the person's communes or one of them (another commune's id is a 404), with
 * small charts and the same figures as tables. Each view is audited.
 */
export const dashboardArea: ConsoleArea<"db" | "clock" | "config"> = {
  path: "/dashboard",
  navKey: "nav.dashboard",
  roles: ["operator", "staff", "admin"],
  router({ services }) {
    const { sql } = services.db;
    const router = Router();
    router.get("/", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const now = services.clock();
      const periodParam = typeof req.query.period === "string" && req.query.period !== "" ? req.query.period.slice(0, 20) : currentPeriod(now);
      const communes = await communesInScope(sql, scope);
      const filter = communeFilterParam(req.query.commune, communes, scope);
      if (filter === "bad") return sendBadRequest(res, t("errors.bad_commune"));
      if (filter === "not_found") return sendNotFound(res);
      const { communeId } = filter;
      const result = await dashboardFigures(sql, { period: periodParam, scope: scope.staffScope, communeId, now });
      if (!result.ok) return result.error === "not_found" ? sendNotFound(res) : sendBadRequest(res, t("dashboard.bad_period", { value: periodParam }));
      const { figures } = result;
      await audit(sql, { actorKind: "staff", actorId: scope.user.username, action: "dashboard.viewed", entity: "Dashboard", after: { period: figures.period, communeId: communeId ?? null }, at: now });
      const where = communeId === undefined ? t(scope.communeIds === "all" ? "dashboard.all_communes" : "dashboard.my_communes") : communes.find((c) => c.id === communeId)?.name ?? "";
      sendPage(res, {
        title: t("dashboard.title"),
        body: html`
<form method="get" action="/console/dashboard" class="filters">
  <div><label for="period">${t("dashboard.period")} <span class="hint">${t("dashboard.period_format")}</span></label><input id="period" name="period" type="month" value="${figures.period}" required></div>
  <div><label for="commune">${t("dashboard.commune")}</label><select id="commune" name="commune">
    <option value="">${t(scope.communeIds === "all" ? "dashboard.all_communes" : "dashboard.my_communes")}</option>
    ${communes.map((c) => html`<option value="${c.id}"${c.id === communeId ? html` selected` : ""}>${c.name}</option>`)}
  </select></div>
  <div><button type="submit">${t("dashboard.show")}</button></div>
</form>
<p class="lead">${t("dashboard.showing", { period: formatPeriod(figures.period), where })}</p>
${figuresBody(res, figures, services.config.retentionDays)}`,
      });
    });
    return router;
  },
};
