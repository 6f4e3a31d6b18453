import { setTimeout as sleep } from "node:timers/promises";
import { Router, type Request, type Response } from "express";
import { audit } from "../../../domain/audit.ts";
import { findConsoleUser } from "../../../domain/consoleUsers/consoleUsers.ts";
import { MAX_PASSWORD_LENGTH, verifyAgainstNothing, verifyPassword } from "../../../domain/consoleUsers/passwords.ts";
import { log } from "../../../shared/log.ts";
import type { Services } from "../../../services.ts";
import { requestLocale, safeConsolePath } from "../auth.ts";
import { clearConsoleCookie, SESSION_COOKIE, setConsoleCookie, type ConsoleSessions } from "../session.ts";
import { LOGIN_CSRF_COOKIE, loginCsrfCheck, loginCsrfToken } from "../csrf.ts";
import { failedLoginDelayMs, LoginThrottle } from "../loginThrottle.ts";
import { html } from "../html.ts";
import { sendPage } from "../layout.ts";

export interface LoginOptions {
  /** Holds the answer to a failed login (tests pass a recorder instead of waiting). */
  loginDelay?: (ms: number) => Promise<void>;
}

function loginPage(req: Request, res: Response, options: { status?: number; error?: string | null; username?: string }): void {
  const t = res.locals.t!;
  const locale = res.locals.locale ?? "vi";
  const next = safeConsolePath(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next);
  const notice = req.query.expired === "1" ? t("login.expired") : req.query.notice === "logged_out" ? t("login.logged_out") : null;
  const invalid = options.error ? html` aria-invalid="true" aria-describedby="login-error"` : "";
  sendPage(res, {
    status: options.status,
    title: t("login.title"),
    notice,
    body: html`
${options.error ? html`<p class="error" role="alert" id="login-error">${options.error}</p>` : ""}
<form method="post" action="/console/login" class="stack">
  <input type="hidden" name="_csrf" value="${loginCsrfToken(req, res)}">
  <input type="hidden" name="lang" value="${locale}">
  <input type="hidden" name="next" value="${next}">
  <div><label for="username">${t("login.username")}</label>
    <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="100" value="${options.username ?? ""}"${invalid}${options.username ? "" : html` autofocus`}></div>
  <div><label for="password">${t("login.password")}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="${MAX_PASSWORD_LENGTH}"${options.username ? html` autofocus` : ""}></div>
  <div><button type="submit">${t("login.submit")}</button></div>
</form>
<p class="hint">${t("login.help")}</p>`,
  });
}

/** GET and POST /console/login, POST /console/logout. */
export function loginRoutes(services: Services, sessions: ConsoleSessions, options: LoginOptions): { publicRoutes: Router; logout: Router } {
  const { sql } = services.db;
  const throttle = new LoginThrottle(sql, services.config.console.lockMinutes * 60_000, services.clock);
  const wait = options.loginDelay ?? ((ms: number) => sleep(ms).then(() => undefined));
  const publicRoutes = Router();

  publicRoutes.get("/login", (req, res) => loginPage(req, res, {}));

  publicRoutes.post("/login", loginCsrfCheck, async (req, res) => {
    const t = res.locals.t!;
    const body = req.body as Record<string, unknown>;
    // Counted (in memory, for names that are not accounts) at most 100 characters long.
    const username = typeof body.username === "string" ? body.username.trim().toLowerCase().slice(0, 100) : "";
    const password = typeof body.password === "string" ? body.password : "";
    if (!username || !password) return loginPage(req, res, { status: 400, error: t("login.missing"), username });
    const address = req.ip ?? "unknown";
    const account = await findConsoleUser(sql, username);
    const lockedUntil = throttle.lockedUntil(username, address, account);
    if (lockedUntil) {
      const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - services.clock().getTime()) / 60_000));
      return loginPage(req, res, { status: 429, error: t("login.locked", { count: minutes }), username });
    }
    const usable = account !== null && !account.disabled && password.length <= MAX_PASSWORD_LENGTH;
    const ok = usable ? await verifyPassword(account.passwordHash, password) : await verifyAgainstNothing(password.slice(0, MAX_PASSWORD_LENGTH));
    if (!ok || !account) {
      const { failures, locked } = await throttle.recordFailure(username, address, account);
      if (account) {
        await audit(sql, { actorKind: "staff", actorId: account.username, action: locked ? "console.login_locked" : "console.login_failed", entity: "ConsoleUser", entityId: account.id, after: { failures, address }, at: services.clock() });
      }
      log.warn("console login failed", { user: account?.username ?? null, failures, locked });
      await wait(failedLoginDelayMs(failures));
      const minutes = services.config.console.lockMinutes;
      return loginPage(req, res, { status: locked ? 429 : 401, error: locked ? t("login.locked", { count: minutes }) : t("login.failed"), username });
    }
    await throttle.recordSuccess(account);
    await sessions.purgeExpired();
    // The session and its audit row land together: a write failing between them (a full disk) leaves no session behind.
    const { token } = await sql.transaction(async () => {
      const created = await sessions.create(account.id, requestLocale(req));
      await audit(sql, { actorKind: "staff", actorId: account.username, action: "console.login", entity: "ConsoleUser", entityId: account.id, after: { address, mustChangePassword: account.mustChangePassword }, at: services.clock() });
      return created;
    });
    setConsoleCookie(req, res, SESSION_COOKIE, token);
    clearConsoleCookie(req, res, LOGIN_CSRF_COOKIE);
    log.info("console login", { user: account.username });
    res.redirect(303, account.mustChangePassword ? "/console/password" : safeConsolePath(body.next));
  });

  const logout = Router();
  logout.post("/logout", async (req, res) => {
    const session = res.locals.consoleSession!;
    await sessions.end(session.id);
    clearConsoleCookie(req, res, SESSION_COOKIE);
    await audit(sql, { actorKind: "staff", actorId: session.username, action: "console.logout", entity: "ConsoleUser", entityId: session.userId, at: services.clock() });
    res.redirect(303, `/console/login?notice=logged_out${session.locale === "vi" ? "" : `&lang=${session.locale}`}`);
  });
  return { publicRoutes, logout };
}
