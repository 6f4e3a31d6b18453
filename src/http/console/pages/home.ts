import { Router } from "express";
import { consoleOf } from "../area.ts";
import { html } from "../html.ts";
import { sendPage } from "../layout.ts";

/**
 * GET /console/: a greeting, the way to this month's dashboard (every role has it), and the areas
 * this person may open.
 */
export function homeRoutes(): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    const { t, nav, scope } = consoleOf(res);
    const areas = nav.filter((item) => item.path !== "/");
    const dashboard = areas.some((a) => a.path === "/dashboard");
    sendPage(res, {
      title: t("home.title"),
      body: html`<p>${t("home.greeting", { name: scope.user.displayName })} ${t(`home.role_${scope.role}`)}</p>
${dashboard ? html`<p class="lead"><a class="button" href="/console/dashboard">${t("home.dashboard_link")}</a></p>` : ""}
<h2>${t("home.areas")}</h2>
<ul class="cards">${areas.map((a) => html`<li><a href="/console${a.path}">${a.label}</a></li>`)}</ul>`,
    });
  });
  return router;
}
