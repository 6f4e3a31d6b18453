import { Router, type Request, type Response } from "express";
import {
  CONSOLE_ROLES,
  ConsoleUserError,
  createConsoleUser,
  disableConsoleUser,
  findConsoleUser,
  listConsoleUsers,
  resetConsoleUserPassword,
  type AccountActor,
  type ConsoleUserListing,
} from "../../../domain/consoleUsers/consoleUsers.ts";
import { listCommunes } from "../../../domain/consoleUsers/communes.ts";
import { sqlTimestamp } from "../../../db/sql/sqlTimestamp.ts";
import type { Services } from "../../../services.ts";
import { consoleOf, type ConsoleArea } from "../area.ts";
import { html } from "../html.ts";
import { csrfField, sendBadRequest, sendNotFound, sendPage } from "../layout.ts";

interface Draft {
  username: string;
  displayName: string;
  role: string;
  communes: string[];
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === "string");

async function usersPage(services: Pick<Services, "db" | "clock">, res: Response, options: { status?: number; error?: string; draft?: Draft } = {}): Promise<void> {
  const { t, scope } = consoleOf(res);
  const { sql } = services.db;
  const users = await listConsoleUsers(sql);
  const communes = await listCommunes(sql);
  const now = sqlTimestamp(services.clock());
  const draft = options.draft ?? { username: "", displayName: "", role: "staff", communes: [] };
  const state = (u: ConsoleUserListing) =>
    u.disabled ? t("users.state_disabled") : u.lockedUntil && u.lockedUntil > now ? t("users.state_locked") : u.mustChangePassword ? t("users.state_must_change") : t("users.state_active");
  const actions = (u: ConsoleUserListing) => html`<div class="actions">
    <form method="post" action="/console/admin/users/${u.username}/reset-password">${csrfField(res)}<button type="submit" class="secondary" data-confirm="${t("users.confirm_reset", { username: u.username })}">${t("users.reset_password")}<span class="visually-hidden"> ${u.username}</span></button></form>
    ${u.disabled || u.id === scope.user.id ? "" : html`<form method="post" action="/console/admin/users/${u.username}/disable">${csrfField(res)}<button type="submit" class="danger" data-confirm="${t("users.confirm_disable", { username: u.username })}">${t("users.disable")}<span class="visually-hidden"> ${u.username}</span></button></form>`}
  </div>`;
  sendPage(res, {
    status: options.status,
    title: t("users.title"),
    error: options.error,
    body: html`
<div class="table-wrap" role="region" tabindex="0" aria-label="${t("users.title")}"><table>
  <caption>${t("users.count", { count: users.length })}</caption>
  <thead><tr><th scope="col">${t("users.username")}</th><th scope="col">${t("users.display_name")}</th><th scope="col">${t("users.role")}</th><th scope="col">${t("users.communes")}</th><th scope="col">${t("users.state")}</th><th scope="col">${t("users.actions")}</th></tr></thead>
  <tbody>${users.map((u) => html`<tr><td>${u.username}</td><td>${u.displayName}</td><td>${t(`roles.${u.role}`)}</td><td>${u.communes.map((c) => c.name).join(", ") || (u.role === "staff" ? "" : t("users.all_communes"))}</td><td>${state(u)}</td><td>${actions(u)}</td></tr>`)}</tbody>
</table></div>
<h2 id="new-user">${t("users.new")}</h2>
<form method="post" action="/console/admin/users" class="stack" aria-labelledby="new-user">
  ${csrfField(res)}
  <div><label for="username">${t("users.username")} <span class="hint">${t("users.username_rules")}</span></label>
    <input id="username" name="username" required maxlength="40" autocapitalize="none" spellcheck="false" value="${draft.username}"></div>
  <div><label for="displayName">${t("users.display_name")}</label><input id="displayName" name="displayName" maxlength="100" value="${draft.displayName}"></div>
  <div><label for="role">${t("users.role")}</label><select id="role" name="role">
    ${CONSOLE_ROLES.map((role) => html`<option value="${role}"${role === draft.role ? html` selected` : ""}>${t(`roles.${role}`)}</option>`)}
  </select></div>
  <fieldset><legend>${t("users.communes_for_staff")}</legend>
    ${communes.map((c) => html`<label><input type="checkbox" name="commune" value="${c.id}"${draft.communes.includes(String(c.id)) ? html` checked` : ""}> ${c.name}</label>`)}
  </fieldset>
  <p class="hint">${t("users.one_time_password_hint")}</p>
  <div><button type="submit">${t("users.create")}</button></div>
</form>`,
  });
}

/** Shows a one-time password once, after creating an account or resetting its password. */
function passwordShownOnce(res: Response, options: { title: string; username: string; password: string }): void {
  const { t } = consoleOf(res);
  sendPage(res, {
    title: options.title,
    body: html`<p>${t("users.give_password", { username: options.username })}</p>
<p><span class="secret" aria-label="${t("users.one_time_password")}">${options.password}</span></p>
<p class="hint">${t("users.password_once")}</p>
<p><a href="/console/admin/users">${t("users.back")}</a></p>`,
  });
}

function actorOf(res: Response): AccountActor {
  return { kind: "staff", id: consoleOf(res).scope.user.username };
}

/** A refusal the admin can fix: shown over the form, with what they typed kept. */
function refusal(error: unknown, t: (key: string, params?: Record<string, unknown>) => string): string | null {
  if (!(error instanceof ConsoleUserError)) return null;
  const key = `users.error.${error.code}`;
  const text = t(key);
  return text === key ? error.message : text;
}

/** /console/admin/users: accounts (admin only): list, create, disable, reset a password. */
export const adminUsersArea: ConsoleArea<"db" | "clock"> = {
  path: "/admin/users",
  navKey: "nav.users",
  roles: ["admin"],
  router({ services }) {
    const { sql } = services.db;
    const router = Router();
    router.get("/", (_req, res) => usersPage(services, res));

    router.post("/", async (req: Request, res) => {
      const { t } = consoleOf(res);
      const body = req.body as Record<string, unknown>;
      const draft: Draft = {
        username: typeof body.username === "string" ? body.username : "",
        displayName: typeof body.displayName === "string" ? body.displayName : "",
        role: typeof body.role === "string" ? body.role : "",
        communes: asList(body.commune),
      };
      try {
        const { user, oneTimePassword } = await createConsoleUser(
          sql,
          { username: draft.username, displayName: draft.displayName, role: draft.role, communes: draft.role === "staff" ? draft.communes : [] },
          actorOf(res),
          services.clock(),
        );
        passwordShownOnce(res, { title: t("users.created", { username: user.username }), username: user.username, password: oneTimePassword! });
      } catch (error) {
        const message = refusal(error, t);
        if (message === null) throw error;
        await usersPage(services, res, { status: 400, error: message, draft });
      }
    });

    router.post("/:username/disable", async (req, res) => {
      const { t, scope } = consoleOf(res);
      const user = await findConsoleUser(sql, String(req.params.username));
      if (!user) return sendNotFound(res);
      if (user.id === scope.user.id) return sendBadRequest(res, t("users.error.not_yourself"));
      await disableConsoleUser(sql, user.username, actorOf(res), services.clock());
      res.redirect(303, "/console/admin/users?notice=user_disabled");
    });

    router.post("/:username/reset-password", async (req, res) => {
      const { t } = consoleOf(res);
      const user = await findConsoleUser(sql, String(req.params.username));
      if (!user) return sendNotFound(res);
      const password = await resetConsoleUserPassword(sql, user.username, actorOf(res), services.clock());
      passwordShownOnce(res, { title: t("users.password_reset", { username: user.username }), username: user.username, password });
    });
    return router;
  },
};
