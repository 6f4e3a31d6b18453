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
export const escalationsArea: ConsoleArea = {
  path: "/escalations",
  navKey: "nav.escalations",
  roles: ["operator", "admin"],
  router({ services }) {
    const desk = services.escalations;
    const { sqlite: sql } = services.db;
    const router = Router();

    /** The escalation by the URL's id, if it exists and is in the person's scope; otherwise the 404 is sent. */
    const inScope = (res: Response, idParam: string): EscalationSummary | null => {
      const id = positiveId(idParam);
      const escalation = id === null ? undefined : desk.get(id);
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

    router.get("/", (req, res) => {
      const { t, scope } = consoleOf(res);
      const asked = queueQuery(res, req.query);
      if (!asked) return;
      sendPage(res, {
        title: t("escalations.title"),
        body: html`<div id="escalation-queue" data-live="${queuePath(asked.queue, asked.page, true)}" data-live-events="/console/escalations/events" data-live-changes="/console/escalations/changes" data-live-cursor="${desk.latestCursor(deskScope(scope))}">
${queueFragment(res, desk, asked.queue, asked.page, operatorNames(sql))}
</div>
<p class="hint live-status" role="status" data-live-status data-live-message="${t("escalations.live_updated")}"></p>`,
      });
    });

    router.get("/queue", (req, res) => {
      const asked = queueQuery(res, req.query);
      if (!asked) return;
      res.type("html").send(queueFragment(res, desk, asked.queue, asked.page, operatorNames(sql)).value);
    });

    router.get("/events", escalationEvents(desk, services.readiness));
    router.get("/changes", escalationChanges(desk));

    const showDetail = (res: Response, id: number, problem?: DetailProblem) => {
      const detail = desk.detail(id);
      if (!detail) return sendNotFound(res);
      sendDetail(res, detail, { cursor: desk.latestCursor(deskScope(consoleOf(res).scope)) }, operatorNames(sql), problem);
    };

    router.get("/:id", (req, res) => {
      const escalation = inScope(res, req.params.id);
      if (!escalation) return;
      const { scope } = consoleOf(res);
      // The page shows the person's payments and method: who opened it is recorded, as for a person's page.
      audit(sql, { actorKind: "staff", actorId: scope.user.username, action: "escalation.viewed", entity: "Escalation", entityId: escalation.id, at: services.clock() });
      showDetail(res, escalation.id);
    });

    router.get("/:id/live", (req, res) => {
      const escalation = inScope(res, req.params.id);
      if (!escalation) return;
      const detail = desk.detail(escalation.id);
      if (!detail) return sendNotFound(res);
      res.type("html").send(detailLive(res, detail, operatorNames(sql)).value);
    });

    for (const [name, action] of Object.entries(DESK_ACTIONS)) {
      router.post(`/:id/${name}`, (req, res) => {
        const escalation = inScope(res, req.params.id);
        if (!escalation) return;
        runDeskAction(req, res, desk, action, escalation.id, (problem) => showDetail(res, escalation.id, problem), operatorNames(sql));
      });
    }
    return router;
  },
};
