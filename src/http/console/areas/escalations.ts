import { Router, type Response } from "express";
import { audit } from "../../../domain/audit.ts";
import type { EscalationSummary } from "../../../domain/escalations/escalationQueues.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { html } from "../html.ts";
import { sendBadRequest, sendNotFound, sendPage } from "../layout.ts";
import { pageNumber } from "../pager.ts";
import { positiveId } from "../params.ts";
import { DESK_ACTIONS, runDeskAction } from "./escalations/actions.ts";
import { detailLive, sendDetail, type DetailProblem } from "./escalations/detail.ts";
import { escalationChanges, escalationEvents } from "./escalations/live.ts";
import { deskScope, queueFragment, queueName, queuePath } from "./escalations/queue.ts";
import { operatorNames } from "./escalations/words.ts";

/**
 * /console/escalations: the operator inbox. Queues (unassigned, mine, all, resolved) and one
 * escalation's page, both kept live by Server-Sent Events (/events) or, where those fail, by
 * polling (/changes); claim, reply, note, resolve and hand back are forms the desk carries out.
 */
export const escalationsArea: ConsoleArea<"escalations" | "readiness" | "db" | "clock"> = {
  path: "/escalations",
  navKey: "nav.escalations",
  roles: ["operator", "admin"],
  router({ services }) {
    const desk = services.escalations;
    const { sql } = services.db;
    const router = Router();

    /** The escalation by the URL's id, if it exists and is in the person's scope; otherwise the 404 is sent. */
    const inScope = async (res: Response, idParam: string): Promise<EscalationSummary | null> => {
      const id = positiveId(idParam);
      const escalation = id === null ? undefined : await desk.get(id);
      if (escalation && consoleOf(res).scope.allowsCommune(escalation.communeId)) return escalation;
      sendNotFound(res);
      return null;
    };

    /** The queue's tab and page from the query, or the 400 is sent. */
    const queueQuery = (res: Response, query: Record<string, unknown>) => {
      const { t } = consoleOf(res);
      const queue = queueName(query.tab);
      if (queue === null) return sendBadRequest(res, t("escalations.bad_tab"));
      const page = pageNumber(query.page);
      if (page === null) return sendBadRequest(res, t("errors.bad_page"));
      return { queue, page };
    };

    router.get("/", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const asked = queueQuery(res, req.query);
      if (!asked) return;
      // The cursor is read before the queue: a change in between is shown again, never missed.
      const cursor = await desk.latestCursor(deskScope(scope));
      const queue = await queueFragment(res, desk, asked.queue, asked.page, await operatorNames(sql));
      sendPage(res, {
        title: t("escalations.title"),
        body: html`<div id="escalation-queue" data-live="${queuePath(asked.queue, asked.page, true)}" data-live-events="/console/escalations/events" data-live-changes="/console/escalations/changes" data-live-cursor="${cursor}">
${queue}
</div>
<p class="hint live-status" role="status" data-live-status data-live-message="${t("escalations.live_updated")}"></p>`,
      });
    });

    router.get("/queue", async (req, res) => {
      const asked = queueQuery(res, req.query);
      if (!asked) return;
      res.type("html").send((await queueFragment(res, desk, asked.queue, asked.page, await operatorNames(sql))).value);
    });

    router.get("/events", escalationEvents(desk, services.readiness));
    router.get("/changes", escalationChanges(desk));

    const showDetail = async (res: Response, id: number, problem?: DetailProblem): Promise<void> => {
      const cursor = await desk.latestCursor(deskScope(consoleOf(res).scope));
      const detail = await desk.detail(id);
      if (!detail) return sendNotFound(res);
      sendDetail(res, detail, { cursor }, await operatorNames(sql), problem);
    };

    router.get("/:id", async (req, res) => {
      const escalation = await inScope(res, req.params.id);
      if (!escalation) return;
      const { scope } = consoleOf(res);
      // The page shows the person's payments and method: who opened it is recorded, as for a person's page.
      await audit(sql, { actorKind: "staff", actorId: scope.user.username, action: "escalation.viewed", entity: "Escalation", entityId: escalation.id, at: services.clock() });
      await showDetail(res, escalation.id);
    });

    router.get("/:id/live", async (req, res) => {
      const escalation = await inScope(res, req.params.id);
      if (!escalation) return;
      const detail = await desk.detail(escalation.id);
      if (!detail) return sendNotFound(res);
      res.type("html").send(detailLive(res, detail, await operatorNames(sql)).value);
    });

    for (const [name, action] of Object.entries(DESK_ACTIONS)) {
      router.post(`/:id/${name}`, async (req, res) => {
        const escalation = await inScope(res, req.params.id);
        if (!escalation) return;
        await runDeskAction(req, res, desk, action, escalation.id, (problem) => showDetail(res, escalation.id, problem), await operatorNames(sql));
      });
    }
    return router;
  },
};
