import { Router, type Request, type Response } from "express";
import { audit } from "../../../domain/audit.ts";
import { findMethodChange, listMethodChanges, METHOD_CHANGE_STATUSES, type MethodChangeListing, type MethodChangeStatus } from "../../../domain/methodChanges/listMethodChanges.ts";
import { decideMethodChangeAndNotify, pendingMethodChanges, revealAccount } from "../../../domain/methodChanges/reviewMethodChanges.ts";
import { formatVietnamDateTime } from "../../../shared/dates.ts";
import { nationalPhone } from "../../../shared/phone.ts";
import type { Services } from "../../../services.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { formatDuration } from "../duration.ts";
import { html } from "../html.ts";
import { sendBadRequest, sendNotFound, sendPage } from "../layout.ts";
import { pager, pageNumber } from "../pager.ts";
import { positiveId } from "../params.ts";
import { currentMethod, requestedMethod, requester, revealedAccountBody, sendMethodChangeDetail } from "./methodChanges/methodChangeViews.ts";

const PAGE_SIZE = 50;
const MAX_REASON_LENGTH = 500;

const isStatus = (value: unknown): value is MethodChangeStatus => typeof value === "string" && (METHOD_CHANGE_STATUSES as readonly string[]).includes(value);
const field = (req: Request, name: string) => {
  const value = (req.body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : "";
};

async function listPage(services: Pick<Services, "db" | "clock">, req: Request, res: Response): Promise<void> {
  const { t, scope } = consoleOf(res);
  const status = req.query.status === undefined || req.query.status === "" ? "pending" : req.query.status;
  if (!isStatus(status)) return sendBadRequest(res, t("method_changes.bad_status"));
  const page = pageNumber(req.query.page);
  if (page === null) return sendBadRequest(res, t("errors.bad_page"));
  const now = services.clock();
  const { sql } = services.db;
  // Pending: oldest first (who has waited longest); decided: the latest decisions first.
  const requests: (MethodChangeListing & { ageMs?: number })[] =
    status === "pending" ? await pendingMethodChanges(sql, scope.staffScope, now) : (await listMethodChanges(sql, { status, scope: scope.staffScope })).reverse();
  const shown = requests.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const pending = status === "pending";
  const row = (r: (typeof requests)[number]) => html`<tr>
    <td><a href="/console/method-changes/${r.id}">${r.reference}</a></td>
    <td>${r.fullName}<br><span class="hint">${r.beneficiaryCode}</span></td>
    <td>${r.commune}</td>
    <td>${requestedMethod(res, r)}</td>
    <td>${currentMethod(res, r)}</td>
    <td>${requester(res, r)}</td>
    <td>${t(`channel.${r.channel}`)}</td>
    <td>${t(`verification.${r.verification}`)}</td>
    <td>${pending ? formatDuration(r.ageMs ?? 0, t) : html`${r.decidedAt ? formatVietnamDateTime(r.decidedAt) : ""}<br><span class="hint">${r.decidedBy ?? ""}</span>`}</td>
  </tr>`;
  sendPage(res, {
    title: t("method_changes.title"),
    body: html`
<form method="get" action="/console/method-changes" class="filters">
  <div><label for="status">${t("method_changes.show")}</label><select id="status" name="status">
    ${METHOD_CHANGE_STATUSES.map((s) => html`<option value="${s}"${s === status ? html` selected` : ""}>${t(`method_change_status.${s}`)}</option>`)}
  </select></div>
  <div><button type="submit">${t("method_changes.filter")}</button></div>
</form>
<p role="status">${t(pending ? "method_changes.count_pending" : "method_changes.count", { count: requests.length })}</p>
${shown.length
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t("method_changes.caption")}"><table>
  <caption>${t("method_changes.caption")}</caption>
  <thead><tr><th scope="col">${t("method_changes.reference")}</th><th scope="col">${t("method_changes.person")}</th><th scope="col">${t("method_changes.commune")}</th><th scope="col">${t("method_changes.requested")}</th><th scope="col">${t("method_changes.current")}</th><th scope="col">${t("method_changes.requester")}</th><th scope="col">${t("method_changes.channel")}</th><th scope="col">${t("method_changes.verification")}</th><th scope="col">${pending ? t("method_changes.age") : t("method_changes.decided")}</th></tr></thead>
  <tbody>${shown.map(row)}</tbody></table></div>`
  : ""}
${pager(res, { path: "/console/method-changes", params: { status }, page, pageSize: PAGE_SIZE, total: requests.length })}`,
  });
}

/**
 * /console/method-changes: payment-method change requests of the person's communes: pending ones
 * to approve or reject (the person is told on their channel), decided ones to read; the full
 * account shown once on request (audited). Another commune's request is a 404 on every route.
 */
export const methodChangesArea: ConsoleArea<"db" | "secret" | "clock"> = {
  path: "/method-changes",
  navKey: "nav.method_changes",
  roles: ["staff", "admin"],
  router({ services }) {
    const { sql } = services.db;
    const router = Router();
    /** The request of the URL's id, if it lies in the person's scope. */
    const requestOf = async (req: Request, res: Response): Promise<MethodChangeListing | null> => {
      const id = positiveId(req.params.id);
      return id === null ? null : await findMethodChange(sql, id, consoleOf(res).scope.staffScope);
    };

    router.get("/", (req, res) => listPage(services, req, res));

    router.get("/:id", async (req, res) => {
      const { scope } = consoleOf(res);
      const request = await requestOf(req, res);
      if (!request) return sendNotFound(res);
      const now = services.clock();
      await audit(sql, { actorKind: "staff", actorId: scope.user.username, action: "method_change.viewed", entity: "MethodChangeRequest", entityId: request.id, at: now });
      sendMethodChangeDetail(res, request, now);
    });

    const decide = (decision: "approve" | "reject") => async (req: Request, res: Response) => {
      const { t, scope } = consoleOf(res);
      const request = await requestOf(req, res);
      if (!request) return sendNotFound(res);
      const text = field(req, decision === "approve" ? "note" : "reason");
      const kept = decision === "approve" ? { note: text, invalid: "note" as const } : { reason: text, invalid: "reason" as const };
      const now = services.clock();
      if (decision === "reject" && !text.trim()) return sendMethodChangeDetail(res, request, now, { status: 400, error: t("method_changes.reason_required"), ...kept });
      if (text.trim().length > MAX_REASON_LENGTH) return sendMethodChangeDetail(res, request, now, { status: 400, error: t("method_changes.reason_too_long", { count: MAX_REASON_LENGTH }), ...kept });
      const result = await decideMethodChangeAndNotify(sql, { reference: request.reference, decision, by: scope.user.username, reason: text, scope: scope.staffScope, now });
      if (!result.ok) {
        if (result.error === "not_found") return sendNotFound(res);
        const error = result.error === "not_pending" ? t("method_changes.not_pending") : result.message;
        return sendMethodChangeDetail(res, (await findMethodChange(sql, request.id, scope.staffScope)) ?? request, now, { status: result.error === "not_pending" ? 409 : 400, error, ...kept });
      }
      const notice = `method_change_${result.request.status}${result.notified ? "" : "_unnotified"}`;
      res.redirect(303, `/console/method-changes/${request.id}?notice=${notice}`);
    };
    router.post("/:id/approve", decide("approve"));
    router.post("/:id/reject", decide("reject"));

    router.post("/:id/reveal", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const request = await requestOf(req, res);
      if (!request) return sendNotFound(res);
      const revealed = await revealAccount(sql, services.secret, request.id, scope.user.username, scope.staffScope, services.clock());
      if (!revealed.ok) return revealed.error === "not_found" ? sendNotFound(res) : sendBadRequest(res, t("method_changes.nothing_to_reveal"));
      const number = revealed.accountNumber ?? (revealed.walletPhone ? nationalPhone(revealed.walletPhone) : "");
      sendPage(res, { title: t("method_changes.revealed_title", { reference: request.reference }), body: revealedAccountBody(res, request, { provider: revealed.accountProvider, number }) });
    });
    return router;
  },
};
