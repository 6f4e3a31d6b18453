import express, { Router, type NextFunction, type Request, type Response } from "express";
import { logRequestFailure } from "../logRequestFailure.ts";
import { log } from "../../shared/log.ts";
import type { Services } from "../../services.ts";
import type { AnyConsoleArea } from "./area.ts";
import { consoleAreas } from "./areas/index.ts";
import { serveAssets } from "./assets.ts";
import { localeMiddleware, requirePasswordChanged, requireRole, requireSession, safeConsolePath } from "./auth.ts";
import { consoleText } from "./consoleText.ts";
import { csrfTokenCheck, sameOriginCheck } from "./csrf.ts";
import { html } from "./html.ts";
import { sendNotFound, sendPage } from "./layout.ts";
import { homeRoutes } from "./pages/home.ts";
import { loginRoutes, type LoginOptions } from "./pages/login.ts";
import { passwordRoutes } from "./pages/password.ts";
import { ConsoleSessions } from "./session.ts";
import { audit } from "../../domain/audit.ts";
import { isConsoleLocale } from "../../i18n/consoleTranslator.ts";

export interface ConsoleOptions extends LoginOptions {
  /** The areas behind login (default: ./areas/index.ts). */
  areas?: AnyConsoleArea[];
}

const BODY_LIMIT = "64kb";

// Pages are built here from the database: never cached, never framed, and they load nothing
// from anywhere else (the machine may be offline, and injected markup could not call out).
function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
  });
  next();
}

/**
 * The web console, mounted at /console: login, the pages every role shares, and the areas
 * (each behind `requireRole`). Order matters: assets and login are public; everything after
 * `requireSession` has a signed-in person, and every state-changing request there has passed
 * both CSRF checks.
 *
 * Handlers are async (they wait for the database): Express 5 hands a rejected promise to the
 * error handler at the end, which logs it and answers with an error page.
 */
export function createConsoleRouter(services: Services, options: ConsoleOptions = {}): Router {
  const areas = options.areas ?? consoleAreas;
  const text = consoleText();
  const sessions = new ConsoleSessions(services.db.sql, services.config.console.sessionIdleMinutes, services.clock);
  const router = Router();

  router.use("/assets", serveAssets(), (_req, res) => void res.status(404).type("text/plain").send("Not found"));
  router.use(securityHeaders);
  router.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 500 }));
  router.use(express.json({ limit: BODY_LIMIT, strict: true }));
  router.use(localeMiddleware(text));
  router.use(sameOriginCheck());

  const login = loginRoutes(services, sessions, options);
  router.use(login.publicRoutes);

  router.use(requireSession(services.db.sql, sessions, text, areas));
  router.use(csrfTokenCheck());
  router.use(login.logout);
  router.post("/locale", async (req, res) => {
    const session = res.locals.consoleSession!;
    const lang = (req.body as Record<string, unknown>).lang;
    if (isConsoleLocale(lang) && lang !== session.locale) {
      await sessions.setLocale(session.id, lang);
      await audit(services.db.sql, { actorKind: "staff", actorId: session.username, action: "console.locale_changed", entity: "ConsoleUser", entityId: session.userId, before: { locale: session.locale }, after: { locale: lang }, at: services.clock() });
    }
    res.redirect(303, safeConsolePath((req.body as Record<string, unknown>).back));
  });
  router.use(passwordRoutes(services, sessions));
  router.use(requirePasswordChanged);
  router.use(homeRoutes());
  for (const area of areas) router.use(area.path, requireRole(...area.roles), area.router({ services }));

  router.use((_req, res) => sendNotFound(res));
  router.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status < 500) log.warn("console request rejected", { path: req.path, status, reason: error.type ?? error.message });
    else logRequestFailure("console request", error, { path: req.path });
    if (res.headersSent) return;
    const t = res.locals.t ?? text.forLocale("vi");
    res.locals.t = t;
    sendPage(res, {
      status: status < 500 ? status : 503,
      title: t(status < 500 ? "errors.bad_request_title" : "errors.failed_title"),
      body: html`<p>${t(status < 500 ? "errors.bad_request" : "errors.failed")}</p><p><a href="/console/">${t("errors.back_home")}</a></p>`,
    });
  });
  return router;
}
