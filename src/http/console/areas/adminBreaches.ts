import { Router, type Request } from "express";
import { affectedPeople, BREACH_TABLES, findBreach, listBreaches, markBreachReported, recordBreach, reportDeadline, type Breach } from "../../../domain/privacy/breaches.ts";
import { formatVietnamDateTime } from "../../../shared/dates.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { html } from "../html.ts";
import { csrfField, sendBadRequest, sendNotFound, sendPage } from "../layout.ts";
import { positiveId } from "../params.ts";

const field = (req: Request, name: string) => {
  const value = (req.body as Record<string, unknown>)[name];
  return typeof value === "string" ? value.trim() : "";
};

/** "2026-12-09T10:00" as typed in a datetime-local field: Vietnam time (UTC+7, no daylight saving). */
function vietnamLocalTime(typed: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(typed)) return null;
  const at = new Date(`${typed}:00+07:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Hours left to report (negative: late). */
function hoursLeft(breach: Breach, now: Date): number {
  return Math.floor((reportDeadline(breach).getTime() - now.getTime()) / 3_600_000);
}

/**
 * /console/admin/breaches: the register of suspected personal-data breaches (admin only). Each
 * shows the 72 hours the law gives to report it, counted from detection, and the people whose data
 * the affected tables held. Recording and marking reported are audited.
 */
export const adminBreachesArea: ConsoleArea<"db" | "clock"> = {
  path: "/admin/breaches",
  navKey: "nav.breaches",
  roles: ["admin"],
  router({ services }) {
    const { sql } = services.db;
    const router = Router();
    router.get("/", async (_req, res) => {
      const { t } = consoleOf(res);
      const now = services.clock();
      const breaches = await listBreaches(sql);
      sendPage(res, {
        title: t("breaches.title"),
        body: html`
<form method="post" action="/console/admin/breaches" class="stack">${csrfField(res)}
  <label for="detectedAt">${t("breaches.detected_at")}</label><input id="detectedAt" name="detectedAt" type="datetime-local" required>
  <label for="description">${t("breaches.description")}</label><textarea id="description" name="description" required maxlength="2000"></textarea>
  <fieldset><legend>${t("breaches.tables")}</legend>
    ${Object.keys(BREACH_TABLES).map((name) => html`<label><input type="checkbox" name="tables" value="${name}"> ${name}</label>`)}
  </fieldset>
  <button type="submit">${t("breaches.record")}</button>
</form>
<table><caption>${t("breaches.title")}</caption>
<thead><tr><th scope="col">${t("breaches.detected_at")}</th><th scope="col">${t("breaches.description")}</th><th scope="col">${t("breaches.deadline")}</th></tr></thead>
<tbody>${breaches.map((b) => {
  const left = hoursLeft(b, now);
  return html`<tr${!b.reportedAt && left < 0 ? html` class="overdue"` : ""}><td><a href="/console/admin/breaches/${b.id}">${formatVietnamDateTime(new Date(b.detectedAt))}</a></td><td>${b.description}</td>
  <td>${b.reportedAt ? t("breaches.reported", { at: formatVietnamDateTime(new Date(b.reportedAt)) }) : left >= 0 ? t("breaches.hours_left", { count: left }) : t("breaches.hours_late", { count: -left })}</td></tr>`;
})}</tbody></table>`,
      });
    });

    router.post("/", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const detectedAt = vietnamLocalTime(field(req, "detectedAt"));
      const description = field(req, "description");
      const raw = (req.body as Record<string, unknown>).tables;
      const tables = (Array.isArray(raw) ? raw : [raw]).filter((x): x is string => typeof x === "string" && x in BREACH_TABLES);
      if (!detectedAt || !description || description.length > 2000 || !tables.length) return sendBadRequest(res, t("breaches.incomplete"));
      const id = await recordBreach(sql, { detectedAt, description, tables, by: scope.user.username, now: services.clock() });
      res.redirect(303, `/console/admin/breaches/${id}`);
    });

    router.get("/:id", async (req, res) => {
      const { t } = consoleOf(res);
      const id = positiveId(req.params.id);
      const breach = id === null ? undefined : await findBreach(sql, id);
      if (!breach) return sendNotFound(res);
      const people = await affectedPeople(sql, breach);
      const left = hoursLeft(breach, services.clock());
      sendPage(res, {
        title: `${t("breaches.title")} #${breach.id}`,
        body: html`
<dl><dt>${t("breaches.detected_at")}</dt><dd>${formatVietnamDateTime(new Date(breach.detectedAt))}</dd>
<dt>${t("breaches.deadline")}</dt><dd>${formatVietnamDateTime(reportDeadline(breach))} — ${breach.reportedAt ? t("breaches.reported", { at: formatVietnamDateTime(new Date(breach.reportedAt)) }) : left >= 0 ? t("breaches.hours_left", { count: left }) : t("breaches.hours_late", { count: -left })}</dd>
<dt>${t("breaches.description")}</dt><dd>${breach.description}</dd><dt>${t("breaches.tables")}</dt><dd>${breach.tables}</dd></dl>
${breach.reportedAt ? "" : html`<form method="post" action="/console/admin/breaches/${breach.id}/reported">${csrfField(res)}<button type="submit">${t("breaches.mark_reported")}</button></form>`}
<h2>${t("breaches.people", { count: people.length })}</h2>
<table><thead><tr><th scope="col">${t("privacy.reference")}</th><th scope="col">${t("privacy.person")}</th><th scope="col">${t("privacy.commune")}</th></tr></thead>
<tbody>${people.map((p) => html`<tr><td>${p.code}</td><td>${p.fullName}</td><td>${p.commune}</td></tr>`)}</tbody></table>`,
      });
    });

    router.post("/:id/reported", async (req, res) => {
      const id = positiveId(req.params.id);
      if (id === null || !(await findBreach(sql, id))) return sendNotFound(res);
      await markBreachReported(sql, id, consoleOf(res).scope.user.username, services.clock());
      res.redirect(303, `/console/admin/breaches/${id}`);
    });
    return router;
  },
};
