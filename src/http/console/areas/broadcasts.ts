import { Router, type Request, type RequestHandler, type Response } from "express";
import { audit } from "../../../domain/audit.ts";
import type { Services } from "../../../services.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { sendBadRequest, sendForbidden, sendNotFound } from "../layout.ts";
import { positiveId } from "../params.ts";
import { checkDraft, draftFrom, emptyDraft, parseVietnamDateTime, type BroadcastDraft } from "./broadcasts/broadcastDraft.ts";
import { sendBroadcastDetail, sendBroadcastList } from "./broadcasts/broadcastPages.ts";
import { progressView } from "./broadcasts/broadcastProgressView.ts";
import { sendComposePage, sendPreviewPage, type Refusal } from "./broadcasts/composePages.ts";

type BroadcastsAreaUses = "broadcasts" | "db" | "clock";

/** The preview of a checked draft: reach per channel and the texts as each channel shows them. */
async function preview(services: Pick<Services, BroadcastsAreaUses>, res: Response, draft: BroadcastDraft, options: { refusal?: Refusal; sendAt?: string } = {}): Promise<void> {
  const { scope } = consoleOf(res);
  const checked = await checkDraft(services, res, draft);
  if (!checked.ok) return checked.notFound ? sendNotFound(res) : sendComposePage(services, res, draft, { status: 400, error: checked.error, field: checked.field });
  const reach = await services.broadcasts.countReach(checked.audience, scope.staffScope);
  if (!reach.ok) return reach.error === "out_of_scope" ? sendNotFound(res) : sendComposePage(services, res, draft, { status: 400, error: reach.message });
  const previews = { vi: await services.broadcasts.preview(checked.textVi, "vi"), en: checked.textEn ? await services.broadcasts.preview(checked.textEn, "en") : null };
  await sendPreviewPage(services, res, { draft, reach: reach.reach, previews, sendAt: options.sendAt }, options.refusal);
}

/** Creates the broadcast of a checked draft and sends it now or schedules it; then its page. */
async function send(services: Pick<Services, BroadcastsAreaUses>, req: Request, res: Response): Promise<void> {
  const { t, scope } = consoleOf(res);
  const draft = draftFrom(req);
  const body = req.body as Record<string, unknown>;
  const action = body.action;
  if (action !== "send_now" && action !== "schedule") return sendBadRequest(res, t("broadcasts.error.bad_action"));
  const checked = await checkDraft(services, res, draft);
  if (!checked.ok) return checked.notFound ? sendNotFound(res) : sendComposePage(services, res, draft, { status: 400, error: checked.error, field: checked.field });
  const sendAtText = typeof body.sendAt === "string" ? body.sendAt : "";
  let at: Date | null = null;
  if (action === "schedule") {
    at = parseVietnamDateTime(sendAtText);
    const problem = at === null ? "broadcasts.error.bad_time" : at.getTime() <= services.clock().getTime() ? "broadcasts.error.time_passed" : null;
    if (problem) return preview(services, res, draft, { refusal: { status: 400, error: t(problem), field: "sendAt" }, sendAt: sendAtText });
  }
  const by = scope.user.username;
  const created = await services.broadcasts.create({ textVi: checked.textVi, textEn: checked.textEn, audience: checked.audience, createdBy: by, scope: scope.staffScope });
  if (!created.ok) return created.error === "out_of_scope" ? sendNotFound(res) : sendComposePage(services, res, draft, { status: 400, error: created.message });
  const id = created.broadcast.id;
  const sent = at ? await services.broadcasts.schedule({ id, at, by, scope: scope.staffScope }) : await services.broadcasts.sendNow({ id, by, scope: scope.staffScope });
  if (!sent.ok) return sendBadRequest(res, sent.message);
  res.redirect(303, `/console/broadcasts/${id}?notice=${at ? "broadcast_scheduled" : "broadcast_sent"}`);
}

/**
 * /console/broadcasts: notices staff send to the people of their communes. The list; compose,
 * preview (reach per channel, the texts as Telegram, Zalo and USSD show them), send now or
 * schedule; a broadcast's page with its progress kept live (progress.json) and a cancel button.
 * A broadcast whose audience is not wholly within the person's communes is a 404 everywhere.
 */
export const broadcastsArea: ConsoleArea<BroadcastsAreaUses> = {
  path: "/broadcasts",
  navKey: "nav.broadcasts",
  roles: ["staff", "admin"],
  router({ services }) {
    const { sql } = services.db;
    const router = Router();
    const progressOf = async (id: number, res: Response) => {
      const { t, scope } = consoleOf(res);
      const result = await services.broadcasts.progress(id, scope.staffScope);
      return result.ok ? progressView(result.progress, t) : null;
    };
    /** The broadcast of the URL's id, if the person may see it. */
    const broadcastOf = async (req: Request, res: Response) => {
      const id = positiveId(req.params.id);
      return id === null ? null : await services.broadcasts.get(id, consoleOf(res).scope.staffScope);
    };

    router.get("/", async (_req, res) => {
      const { scope } = consoleOf(res);
      const rows = [];
      for (const broadcast of await services.broadcasts.list(scope.staffScope)) rows.push({ broadcast, view: await progressOf(broadcast.id, res) });
      await sendBroadcastList(services, res, rows);
    });
    // A staff account not yet given a commune can reach no one: say so, rather than a 404 on preview.
    const mayReachSomeone: RequestHandler = (_req, res, next) => {
      const { scope, t } = consoleOf(res);
      if (Array.isArray(scope.communeIds) && scope.communeIds.length === 0) return sendForbidden(res, t("errors.no_communes"));
      next();
    };
    router.get("/new", mayReachSomeone, (_req, res) => sendComposePage(services, res, emptyDraft()));
    // "Edit" on the preview page: the compose form again, with what was written.
    router.post("/new", mayReachSomeone, (req, res) => sendComposePage(services, res, draftFrom(req)));
    router.post("/preview", mayReachSomeone, (req, res) => preview(services, res, draftFrom(req)));
    router.post("/", mayReachSomeone, (req, res) => send(services, req, res));

    router.get("/:id", async (req, res) => {
      const { scope } = consoleOf(res);
      const broadcast = await broadcastOf(req, res);
      const view = broadcast && (await progressOf(broadcast.id, res));
      if (!broadcast || !view) return sendNotFound(res);
      await audit(sql, { actorKind: "staff", actorId: scope.user.username, action: "broadcast.viewed", entity: "Broadcast", entityId: broadcast.id, at: services.clock() });
      await sendBroadcastDetail(services, res, (await services.broadcasts.get(broadcast.id, scope.staffScope)) ?? broadcast, view);
    });

    router.get("/:id/progress.json", async (req, res) => {
      const broadcast = await broadcastOf(req, res);
      const view = broadcast && (await progressOf(broadcast.id, res));
      if (!view) return void res.status(404).json({ error: "not_found" });
      res.json(view);
    });

    router.post("/:id/cancel", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const broadcast = await broadcastOf(req, res);
      if (!broadcast) return sendNotFound(res);
      const result = await services.broadcasts.cancel({ id: broadcast.id, by: scope.user.username, scope: scope.staffScope });
      if (!result.ok && result.error === "not_found") return sendNotFound(res);
      const after = (await services.broadcasts.get(broadcast.id, scope.staffScope))!;
      const view = (await progressOf(broadcast.id, res))!;
      if (!result.ok) return sendBroadcastDetail(services, res, after, view, { status: 409, error: t("broadcasts.error.nothing_to_cancel") });
      const notice = t("broadcasts.cancelled_notice", { cancelled: result.cancelled, alreadySent: result.alreadySent, inFlight: result.inFlight });
      await sendBroadcastDetail(services, res, after, view, { notice });
    });
    return router;
  },
};
