import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { ConsoleRole } from "../../domain/consoleUsers/consoleUsers.ts";
import { isConsoleLocale, type ConsoleLocale } from "../../i18n/consoleTranslator.ts";
import type { AnyConsoleArea } from "./area.ts";
import type { ConsoleText } from "./consoleText.ts";
import { sendForbidden } from "./layout.ts";
import { scopeFor } from "./scope.ts";
import { clearConsoleCookie, readCookie, SESSION_COOKIE, type ConsoleSessions } from "./session.ts";
import type { Sql } from "../../db/sql/sql.ts";

/** Only pages of this console may be the target of a redirect after login. */
export function safeConsolePath(value: unknown, fallback = "/console/"): string {
  if (typeof value !== "string" || !/^\/console(\/|$)/.test(value) || value.includes("//") || value.includes("\\")) return fallback;
  return value;
}

/** The language of a page: the session's, else ?lang= (or the login form's lang field), else Vietnamese. */
export function requestLocale(req: Request): ConsoleLocale {
  const asked = req.query.lang ?? (req.body as Record<string, unknown> | undefined)?.lang;
  return isConsoleLocale(asked) ? asked : "vi";
}

/** Sets res.locals.locale and res.locals.t for every console request (signed in or not). */
export function localeMiddleware(text: ConsoleText): RequestHandler {
  return (req, res, next) => {
    res.locals.locale = requestLocale(req);
    res.locals.t = text.forLocale(res.locals.locale);
    next();
  };
}

/**
 * Lets a request through only with a live session: fills res.locals (scope, session, csrf token,
 * language, navigation). Without one, the person is sent to the login page and comes back after.
 */
export function requireSession(sql: Sql, sessions: ConsoleSessions, text: ConsoleText, areas: AnyConsoleArea[]): RequestHandler {
  // Express 5 passes a rejected promise of a handler to the error handler.
  return async (req, res, next) => {
    const token = readCookie(req, SESSION_COOKIE);
    const session = await sessions.resume(token);
    if (session === null || session === "expired") {
      if (token) clearConsoleCookie(req, res, SESSION_COOKIE);
      const params = new URLSearchParams({ next: req.method === "GET" ? safeConsolePath(req.originalUrl) : "/console/" });
      if (session === "expired") params.set("expired", "1");
      if (res.locals.locale && res.locals.locale !== "vi") params.set("lang", res.locals.locale);
      return res.redirect(303, `/console/login?${params}`);
    }
    const user = { id: session.userId, username: session.username, displayName: session.displayName, role: session.role };
    const t = text.forLocale(session.locale);
    Object.assign(res.locals, {
      consoleSession: session,
      csrfToken: session.csrfToken,
      locale: session.locale,
      t,
      scope: await scopeFor(sql, user),
      nav: [
        { path: "/", label: t("nav.home") },
        ...areas.filter((a) => a.inNav !== false && a.roles.includes(user.role)).map((a) => ({ path: a.path, label: t(a.navKey) })),
      ],
    });
    next();
  };
}

/** After a login with a one-time password, nothing but changing it (or leaving) is allowed. */
export function requirePasswordChanged(_req: Request, res: Response, next: NextFunction): void {
  if (res.locals.consoleSession?.mustChangePassword) return res.redirect(303, "/console/password");
  next();
}

/** Lets only these roles through; anyone else signed in gets a 403 page. */
export function requireRole(...roles: ConsoleRole[]): RequestHandler {
  return (_req, res, next) => {
    const scope = res.locals.scope;
    if (!scope) return res.redirect(303, "/console/login");
    if (!scope.hasRole(...roles)) return sendForbidden(res);
    next();
  };
}
