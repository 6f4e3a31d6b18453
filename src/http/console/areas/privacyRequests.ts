import { Router, type Request, type Response } from "express";
import { audit } from "../../../domain/audit.ts";
import {
  acknowledgePrivacyRequest,
  answerPrivacyRequest,
  findPrivacyRequest,
  listPrivacyRequests,
  type PrivacyRequestListing,
} from "../../../domain/privacy/privacyRequests.ts";
import { exportPersonalData } from "../../../domain/privacy/exportPersonalData.ts";
import { formatVietnamDateTime } from "../../../shared/dates.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { html } from "../html.ts";
import { csrfField, sendNotFound, sendPage } from "../layout.ts";
import { positiveId } from "../params.ts";

const MAX_ANSWER_LENGTH = 1000;
const field = (req: Request, name: string) => {
  const value = (req.body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : "";
};

function listPage(res: Response, requests: PrivacyRequestListing[], which: "waiting" | "answered"): void {
  const { t } = consoleOf(res);
  const row = (r: PrivacyRequestListing) => html`<tr${r.overdue ? html` class="overdue"` : ""}>
    <td><a href="/console/privacy/${r.id}">${r.reference}</a></td>
    <td>${t(`privacy.kinds.${r.kind}`)}</td>
    <td>${r.fullName ?? "—"}</td>
    <td>${r.commune ?? "—"}</td>
    <td>${t(`channel.${r.channel}`)}</td>
    <td>${formatVietnamDateTime(new Date(r.createdAt))}</td>
    <td>${r.acknowledgeBy}</td>
    <td>${r.answerBy}</td>
    <td>${t(`privacy.statuses.${r.status}`)}${r.overdue ? html` <strong class="overdue-flag">${t("privacy.overdue")}</strong>` : ""}</td>
  </tr>`;
  sendPage(res, {
    title: t("privacy.title"),
    body: html`
<p><a href="/console/privacy">${t("privacy.waiting")}</a> · <a href="/console/privacy?show=answered">${t("privacy.answered")}</a></p>
<p role="status">${t("privacy.count", { count: requests.length })}</p>
<p class="hint">${t("privacy.deadlines_hint")}</p>
${requests.length
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t("privacy.caption")}"><table>
  <caption>${t("privacy.caption")} (${t(which === "waiting" ? "privacy.waiting" : "privacy.answered")})</caption>
  <thead><tr><th scope="col">${t("privacy.reference")}</th><th scope="col">${t("privacy.kind")}</th><th scope="col">${t("privacy.person")}</th><th scope="col">${t("privacy.commune")}</th><th scope="col">${t("privacy.channel")}</th><th scope="col">${t("privacy.received")}</th><th scope="col">${t("privacy.acknowledge_by")}</th><th scope="col">${t("privacy.answer_by")}</th><th scope="col">${t("privacy.status")}</th></tr></thead>
  <tbody>${requests.map(row)}</tbody></table></div>`
  : ""}`,
  });
}

function detailPage(res: Response, r: PrivacyRequestListing, options: { status?: number; error?: string; notice?: string } = {}): void {
  const { t } = consoleOf(res);
  const base = `/console/privacy/${r.id}`;
  if (options.status) res.status(options.status);
  sendPage(res, {
    title: `${t("privacy.title")} ${r.reference}`,
    error: options.error ?? null,
    body: html`
${options.notice ? html`<p role="status">${options.notice}</p>` : ""}
<dl>
  <dt>${t("privacy.kind")}</dt><dd>${t(`privacy.kinds.${r.kind}`)}</dd>
  <dt>${t("privacy.person")}</dt><dd>${r.fullName ?? "—"}</dd>
  <dt>${t("privacy.commune")}</dt><dd>${r.commune ?? "—"}</dd>
  <dt>${t("privacy.channel")}</dt><dd>${t(`channel.${r.channel}`)}</dd>
  <dt>${t("privacy.received")}</dt><dd>${formatVietnamDateTime(new Date(r.createdAt))}</dd>
  <dt>${t("privacy.acknowledge_by")}</dt><dd>${r.acknowledgeBy}</dd>
  <dt>${t("privacy.answer_by")}</dt><dd>${r.answerBy}</dd>
  <dt>${t("privacy.status")}</dt><dd>${t(`privacy.statuses.${r.status}`)}${r.overdue ? html` <strong class="overdue-flag">${t("privacy.overdue")}</strong>` : ""}</dd>
  ${r.details ? html`<dt>${t("privacy.details")}</dt><dd>${r.details}</dd>` : ""}
  ${r.answer ? html`<dt>${t("privacy.answer_heading")}</dt><dd>${t(`privacy.decision_${r.decision}`)}: ${r.answer} (${r.decidedBy ?? ""})</dd>` : ""}
</dl>
${r.beneficiaryId ? html`<form method="post" action="${base}/export">${csrfField(res)}<button type="submit">${t("privacy.export")}</button></form>` : ""}
${r.status === "open" ? html`<form method="post" action="${base}/acknowledge">${csrfField(res)}<button type="submit">${t("privacy.acknowledge")}</button></form>` : ""}
${r.status !== "answered"
  ? html`<form method="post" action="${base}/answer" class="stack">${csrfField(res)}
  <h2>${t("privacy.answer_heading")}</h2>
  <label><input type="radio" name="decision" value="done" checked> ${t("privacy.decision_done")}</label>
  <label><input type="radio" name="decision" value="refused"> ${t("privacy.decision_refused")}</label>
  <label for="answer">${t("privacy.answer_text")}</label>
  <textarea id="answer" name="answer" maxlength="${String(MAX_ANSWER_LENGTH)}" required></textarea>
  <button type="submit">${t("privacy.send_answer")}</button>
</form>`
  : ""}`,
  });
}

/**
 * /console/privacy: the "Dữ liệu cá nhân" queue. Requests people made on any channel to see,
 * correct or delete their data (or the request a withdrawal of consent opens), for the staff of
 * the person's commune, with the deadlines of Decree 356/2025/ND-CP in working days and the overdue
 * ones marked. An answer reaches the person on their channel through the outbox. A request of
 * another commune is a 404 on every route.
 */
export const privacyArea: ConsoleArea<"db" | "clock" | "config"> = {
  path: "/privacy",
  navKey: "nav.privacy",
  roles: ["staff", "admin"],
  router({ services }) {
    const { sql } = services.db;
    const router = Router();
    // Deadlines skip weekends, public holidays and the days off of PUBLIC_HOLIDAYS.
    const at = () => ({ now: services.clock(), calendar: services.config.calendar });
    const requestOf = async (req: Request, res: Response) => {
      const id = positiveId(req.params.id);
      return id === null ? null : findPrivacyRequest(sql, id, consoleOf(res).scope.staffScope, at());
    };

    router.get("/", async (req, res) => {
      const which = req.query.show === "answered" ? "answered" : "waiting";
      listPage(res, await listPrivacyRequests(sql, consoleOf(res).scope.staffScope, at(), which), which);
    });

    router.get("/:id", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const request = await requestOf(req, res);
      if (!request) return sendNotFound(res);
      await audit(sql, { actorKind: "staff", actorId: scope.user.username, action: "privacy_request.viewed", entity: "PrivacyRequest", entityId: request.id, at: services.clock() });
      const notice = req.query.notice === "answered" ? t("privacy.answered_notice") : req.query.notice === "acknowledged" ? t("privacy.acknowledged_notice") : undefined;
      detailPage(res, request, { notice });
    });

    router.post("/:id/acknowledge", async (req, res) => {
      const request = await requestOf(req, res);
      if (!request) return sendNotFound(res);
      await acknowledgePrivacyRequest(sql, request, consoleOf(res).scope.user.username, services.clock());
      res.redirect(303, `/console/privacy/${request.id}?notice=acknowledged`);
    });

    router.post("/:id/answer", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const request = await requestOf(req, res);
      if (!request) return sendNotFound(res);
      const answer = field(req, "answer").replace(/\s+/g, " ").trim();
      const decision = field(req, "decision") === "refused" ? "refused" : "done";
      if (!answer || answer.length > MAX_ANSWER_LENGTH) return detailPage(res, request, { status: 400, error: t("privacy.answer_required") });
      const result = await answerPrivacyRequest(sql, request, { decision, answer, by: scope.user.username, now: services.clock() });
      if (!result.ok) return detailPage(res, request, { status: 409, error: t("privacy.already_answered") });
      res.redirect(303, `/console/privacy/${request.id}?notice=answered`);
    });

    // Access (the right to see one's data): everything held about the request's person, as HTML (JSON at ?format=json).
    router.post("/:id/export", async (req, res) => {
      const request = await requestOf(req, res);
      if (!request?.beneficiaryId) return sendNotFound(res);
      const data = await exportPersonalData(sql, { beneficiaryId: request.beneficiaryId }, { actor: { kind: "staff", id: consoleOf(res).scope.user.username }, now: services.clock() });
      if (!data) return sendNotFound(res);
      if (req.query.format === "json") {
        res.setHeader("content-disposition", `attachment; filename="du-lieu-${request.reference}.json"`);
        res.json(data.json);
        return;
      }
      res.setHeader("content-disposition", `attachment; filename="du-lieu-${request.reference}.html"`);
      res.type("html").send(data.html);
    });
    return router;
  },
};
