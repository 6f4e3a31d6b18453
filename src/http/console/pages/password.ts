import { Router, type Request, type Response } from "express";
import { findConsoleUserById, setOwnPassword } from "../../../domain/consoleUsers/consoleUsers.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from "../../../domain/consoleUsers/passwords.ts";
import type { Services } from "../../../services.ts";
import { consoleOf } from "../area.ts";
import { html } from "../html.ts";
import { csrfField, sendPage } from "../layout.ts";
import { SESSION_COOKIE, setConsoleCookie, type ConsoleSessions } from "../session.ts";

type Field = "current" | "password" | "confirm";

function passwordPage(_req: Request, res: Response, problem?: { field: Field; message: string }): void {
  const { t, consoleSession } = consoleOf(res);
  const invalid = (field: Field) => (problem?.field === field ? html` aria-invalid="true" aria-describedby="password-error"` : "");
  sendPage(res, {
    status: problem ? 400 : 200,
    title: t("password.title"),
    body: html`
${consoleSession.mustChangePassword ? html`<p class="notice" role="status">${t("password.must_change")}</p>` : ""}
${problem ? html`<p class="error" role="alert" id="password-error">${problem.message}</p>` : ""}
<form method="post" action="/console/password" class="stack">
  ${csrfField(res)}
  <input type="text" name="username" autocomplete="username" value="${consoleSession.username}" hidden>
  <div><label for="current">${t("password.current")}</label>
    <input id="current" name="current" type="password" autocomplete="current-password" required maxlength="${MAX_PASSWORD_LENGTH}"${invalid("current")}></div>
  <div><label for="password">${t("password.new")} <span class="hint">${t("password.rules", { count: MIN_PASSWORD_LENGTH })}</span></label>
    <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}"${invalid("password")}></div>
  <div><label for="confirm">${t("password.confirm")}</label>
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="${MAX_PASSWORD_LENGTH}"${invalid("confirm")}></div>
  <div><button type="submit">${t("password.submit")}</button></div>
</form>`,
  });
}

/** GET and POST /console/password: a person changes their own password (forced after a one-time password). */
export function passwordRoutes(services: Services, sessions: ConsoleSessions): Router {
  const { sql } = services.db;
  const router = Router();
  router.get("/password", (req, res) => passwordPage(req, res));
  router.post("/password", async (req, res) => {
    const { t, consoleSession } = consoleOf(res);
    const body = req.body as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
    const user = (await findConsoleUserById(sql, consoleSession.userId))!;
    if (!(await verifyPassword(user.passwordHash, text("current")))) {
      return passwordPage(req, res, { field: "current", message: t("password.wrong_current") });
    }
    const problem = passwordProblem(text("password"), user.username);
    if (problem) return passwordPage(req, res, { field: "password", message: t(`password.problem.${problem}`, { count: MIN_PASSWORD_LENGTH }) });
    if (text("password") !== text("confirm")) return passwordPage(req, res, { field: "confirm", message: t("password.mismatch") });
    if (await verifyPassword(user.passwordHash, text("password"))) {
      return passwordPage(req, res, { field: "password", message: t("password.same_as_current") });
    }
    await setOwnPassword(sql, user, text("password"), services.clock());
    // A new password ends every other session, and this one continues under a new token.
    await sessions.endAll(user.id);
    const { token } = await sessions.create(user.id, consoleSession.locale);
    setConsoleCookie(req, res, SESSION_COOKIE, token);
    res.redirect(303, "/console/?notice=password_changed");
  });
  return router;
}
