import { Router } from "express";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { html } from "../html.ts";
import { sendPage } from "../layout.ts";

/** A place in the navigation for an area that is not built yet: its page says so. Replace it with the real area. */
export function comingSoonArea(area: Omit<ConsoleArea<never>, "router">): ConsoleArea<never> {
  return {
    ...area,
    router() {
      const router = Router();
      router.get("/", (_req, res) => {
        const { t } = consoleOf(res);
        sendPage(res, { title: t(area.navKey), body: html`<p>${t("coming.text")}</p>` });
      });
      return router;
    },
  };
}
