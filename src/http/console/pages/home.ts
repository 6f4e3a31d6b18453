import { Router } from "express";
import { consoleOf } from "../area.ts";
import { html } from "../html.ts";
import { sendPage } from "../layout.ts";

/**
 * GET /console/: a heading and the areas this person may open. A placeholder: the dashboard
 * (or whatever fits each role best) may take its place.
 */
export function homeRoutes(): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    const { t, nav, scope } = consoleOf(res);
    const areas = nav.filter((item) => item.path !== "/");
    sendPage(res, {
      title: t("home.title"),
      body: html`<p>${t("home.greeting", { name: scope.user.displayName })} ${t(`home.role_${scope.role}`)}</p>
<h2>${t("home.areas")}</h2>
<ul class="cards">${areas.map((a) => html`<li><a href="/console${a.path}">${a.label}</a></li>`)}</ul>`,
    });
  });
  return router;
}
