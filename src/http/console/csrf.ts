import { randomBytes, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { log } from "../../shared/log.ts";
import { html } from "./html.ts";
import { sendPage } from "./layout.ts";
import { readCookie, setConsoleCookie } from "./session.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Before login there is no session to hold a token: the login form's token is also in this cookie (double submit). */
export const LOGIN_CSRF_COOKIE = "ansinh_console_login";

function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== "string" || given.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function submittedToken(req: Request): unknown {
  return (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get("x-csrf-token");
}

/** A 403 page and a log line (with no token in it) when a form fails the CSRF check. */
function refuseCsrf(req: Request, res: Response, reason: string): void {
  log.warn("console request refused by the CSRF check", { method: req.method, path: req.originalUrl.split("?")[0], reason, user: res.locals.consoleSession?.username ?? null });
  const t = res.locals.t!;
  sendPage(res, {
    status: 403,
    title: t("errors.csrf_title"),
    body: html`<p>${t("errors.csrf")}</p><p><a href="/console/">${t("errors.back_home")}</a></p>`,
  });
}

/**
 * Refuses a state-changing request that a browser says came from another site: the Origin
 * header, or failing that the Referer, must name this host. Requests with neither (old
 * browsers, some privacy settings) are left to the token check.
 */
export function sameOriginCheck(): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const expected = `${req.protocol}://${req.get("host")}`;
    const origin = req.get("origin");
    if (origin !== undefined) {
      if (origin === expected) return next();
      // The usual cause of a same-host mismatch is an HTTPS proxy the service does not trust yet.
      const sameHost = origin.replace(/^https?:/, "") === expected.replace(/^https?:/, "");
      return refuseCsrf(req, res, sameHost ? "origin scheme differs (behind an HTTPS proxy? set CONSOLE_TRUST_PROXY)" : "foreign origin");
    }
    const referer = req.get("referer");
    if (referer !== undefined) {
      let refererOrigin: string | null = null;
      try {
        refererOrigin = new URL(referer).origin;
      } catch {
        // not a URL: refused below
      }
      return refererOrigin === expected ? next() : refuseCsrf(req, res, "foreign referer");
    }
    next();
  };
}

/** Every POST, PUT, PATCH and DELETE of a signed-in person must carry the session's token (`_csrf` field or x-csrf-token header). */
export function csrfTokenCheck(): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const given = submittedToken(req);
    if (given === undefined) return refuseCsrf(req, res, "missing token");
    if (!sameToken(res.locals.csrfToken ?? "", given)) return refuseCsrf(req, res, "wrong token");
    next();
  };
}

/** The login form's token: kept in a cookie and put in the form; a login POST must bring both, equal. */
export function loginCsrfToken(req: Request, res: Response): string {
  const existing = readCookie(req, LOGIN_CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytes(32).toString("base64url");
  setConsoleCookie(req, res, LOGIN_CSRF_COOKIE, token);
  return token;
}

export function loginCsrfCheck(req: Request, res: Response, next: NextFunction): void {
  const cookie = readCookie(req, LOGIN_CSRF_COOKIE);
  const given = submittedToken(req);
  if (!cookie || given === undefined) return refuseCsrf(req, res, "missing token");
  if (!sameToken(cookie, given)) return refuseCsrf(req, res, "wrong token");
  next();
}
