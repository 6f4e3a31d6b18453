import { Router, type Request } from "express";
import { auditEntities, searchAuditLog, type AuditFilter, type AuditRow } from "../../../domain/auditSearch.ts";
import { formatVietnamDateTime, parseCalendarDate, vietnamDayStart } from "../../../shared/dates.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { html } from "../html.ts";
import { sendBadRequest, sendPage } from "../layout.ts";
import { pager, pageNumber } from "../pager.ts";

const PAGE_SIZE = 50;
const TEXT_FILTERS = ["actor", "action", "entity", "entityId"] as const;

/** A before/after value, indented when it is JSON; the html template escapes it either way. */
function shown(json: string | null): string {
  if (json === null) return "";
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** The query as typed: for the form and for page links. */
function typedFilters(req: Request): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const name of [...TEXT_FILTERS, "from", "to"]) {
    const value = req.query[name];
    if (typeof value === "string" && value.trim()) typed[name] = value.trim().slice(0, 100);
  }
  return typed;
}

/** /console/admin/audit: the audit log (admin only), newest first, filtered by actor, action, entity and dates. */
export const adminAuditArea: ConsoleArea<"db"> = {
  path: "/admin/audit",
  navKey: "nav.audit",
  roles: ["admin"],
  router({ services }) {
    const { sql } = services.db;
    const router = Router();
    router.get("/", async (req, res) => {
      const { t } = consoleOf(res);
      const typed = typedFilters(req);
      const filter: AuditFilter = { actor: typed.actor, action: typed.action, entity: typed.entity, entityId: typed.entityId };
      for (const [name, key] of [["from", "from"], ["to", "to"]] as const) {
        if (!typed[name]) continue;
        const day = parseCalendarDate(typed[name]);
        if (!day) return sendBadRequest(res, t("audit.bad_date", { value: typed[name] }));
        const start = vietnamDayStart(day);
        // "to" includes its whole day.
        filter[key] = name === "to" ? new Date(start.getTime() + 24 * 60 * 60_000) : start;
      }
      const page = pageNumber(req.query.page);
      if (page === null) return sendBadRequest(res, t("errors.bad_page"));
      const { rows, total } = await searchAuditLog(sql, filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const entities = await auditEntities(sql);
      const input = (name: (typeof TEXT_FILTERS)[number] | "from" | "to", type = "text") =>
        html`<div><label for="f-${name}">${t(`audit.${name}`)}</label><input id="f-${name}" name="${name}" type="${type}" value="${typed[name] ?? ""}" maxlength="100"${name === "entity" ? html` list="entities"` : ""}${name === "from" || name === "to" ? html` placeholder="${t("audit.date_format")}"` : ""}></div>`;
      const row = (r: AuditRow) => html`<tr>
  <td>${formatVietnamDateTime(new Date(r.createdAt))}</td>
  <td>${r.actorKind}${r.actorId ? html`<br><strong>${r.actorId}</strong>` : ""}</td>
  <td>${r.action}${r.channel ? html`<br><span class="hint">${r.channel}</span>` : ""}</td>
  <td>${r.entity}${r.entityId ? ` #${r.entityId}` : ""}</td>
  <td><pre>${shown(r.before)}</pre></td>
  <td><pre>${shown(r.after)}</pre></td>
</tr>`;
      sendPage(res, {
        title: t("audit.title"),
        body: html`
<form method="get" action="/console/admin/audit" class="filters" role="search">
  ${input("actor")}${input("action")}${input("entity")}${input("entityId")}${input("from")}${input("to")}
  <datalist id="entities">${entities.map((e) => html`<option value="${e}">`)}</datalist>
  <div><button type="submit">${t("audit.filter")}</button></div>
</form>
<p role="status">${t("audit.count", { count: total })}</p>
${rows.length
  ? html`<div class="table-wrap" role="region" tabindex="0" aria-label="${t("audit.caption")}"><table>
  <caption>${t("audit.caption")}</caption>
  <thead><tr><th scope="col">${t("audit.when")}</th><th scope="col">${t("audit.who")}</th><th scope="col">${t("audit.action")}</th><th scope="col">${t("audit.entity")}</th><th scope="col">${t("audit.before")}</th><th scope="col">${t("audit.after")}</th></tr></thead>
  <tbody>${rows.map(row)}</tbody></table></div>`
  : ""}
${pager(res, { path: "/console/admin/audit", params: typed, page, pageSize: PAGE_SIZE, total })}`,
      });
    });
    return router;
  },
};
