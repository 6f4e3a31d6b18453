import type { Response } from "express";
import type { ConsoleLocale, ConsoleTranslate } from "../../i18n/consoleTranslator.ts";
import type { ConsoleLocals } from "./area.ts";
import { assetUrl } from "./assets.ts";
import { html, type Html } from "./html.ts";

export interface PageOptions {
  /** The page's name: the <title> and, unless `heading` says otherwise, its <h1>. */
  title: string;
  body: Html;
  /** An <h1> of the page's own (false: none, the body has it). */
  heading?: Html | false;
  status?: number;
  /**
   * A sentence confirming what was just done (shown as a status message). By default the page shows
   * `notices.<key>` from console.json when the URL has ?notice=<key> (redirect after a POST there).
   */
  notice?: string | null;
  /** A sentence saying what went wrong (shown as an alert). */
  error?: string | null;
}

/** The hidden `_csrf` field every console form needs. */
export function csrfField(res: Response): Html {
  return html`<input type="hidden" name="_csrf" value="${res.locals.csrfToken ?? ""}">`;
}

function header(res: Response, t: ConsoleTranslate, locale: ConsoleLocale): Html {
  const { consoleSession: session, nav } = res.locals as Partial<ConsoleLocals>;
  const here = res.req.originalUrl.split("?")[0];
  const other: ConsoleLocale = locale === "vi" ? "en" : "vi";
  if (!session || !nav) {
    // Before login the language rides in the URL (and the login form), keeping where the person was going.
    const query = new URLSearchParams(Object.entries(res.req.query).filter((e): e is [string, string] => typeof e[1] === "string"));
    query.set("lang", other);
    return html`<header class="top"><span class="brand">${t("layout.brand")}</span>
      <a class="lang" href="?${query.toString()}" lang="${other}" hreflang="${other}">${t(`layout.switch_to_${other}`)}</a></header>`;
  }
  const links = nav.map((item) => {
    const current = here === `/console${item.path}` || here.startsWith(`/console${item.path}/`);
    return html`<li><a href="/console${item.path}"${current ? html` aria-current="page"` : ""}>${item.label}</a></li>`;
  });
  return html`<header class="top">
    <a class="brand" href="/console/">${t("layout.brand")}</a>
    <nav aria-label="${t("layout.nav_label")}"><ul>${links}</ul></nav>
    <div class="account">
      <span class="who">${session.displayName} <span class="role">(${t(`roles.${session.role}`)})</span></span>
      <form method="post" action="/console/locale" class="inline">${csrfField(res)}<input type="hidden" name="lang" value="${other}"><input type="hidden" name="back" value="${res.req.originalUrl}"><button type="submit" class="link" lang="${other}">${t(`layout.switch_to_${other}`)}</button></form>
      <a href="/console/password">${t("layout.change_password")}</a>
      <form method="post" action="/console/logout" class="inline">${csrfField(res)}<button type="submit" class="link">${t("layout.logout")}</button></form>
    </div>
  </header>`;
}

function noticeFromQuery(res: Response, t: ConsoleTranslate): string | null {
  const key = res.req.query.notice;
  if (typeof key !== "string" || !/^[a-z_]{1,40}$/.test(key)) return null;
  const text = t(`notices.${key}`);
  return text === `notices.${key}` ? null : text;
}

/** A whole console page in the shared layout: header, navigation for the person's role, main content. */
function renderPage(res: Response, page: PageOptions): Html {
  const t = res.locals.t!;
  const locale = res.locals.locale ?? "vi";
  const notice = page.notice === undefined ? noticeFromQuery(res, t) : page.notice;
  const heading = page.heading === undefined ? html`<h1>${page.title}</h1>` : page.heading || "";
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${res.locals.csrfToken ?? ""}">
<title>${page.title} · ${t("layout.brand")}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl("console.css")}">
<script src="${assetUrl("console.js")}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">${t("layout.skip_to_content")}</a>
${header(res, t, locale)}
<main id="main" tabindex="-1">
${heading}
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
${page.error ? html`<p class="error" role="alert">${page.error}</p>` : ""}
${page.body}
</main>
</body>
</html>
`;
}

export function sendPage(res: Response, page: PageOptions): void {
  res.status(page.status ?? 200).type("html").send(renderPage(res, page).value);
}

/**
 * The console's answer for anything that does not exist *or is outside the person's scope*: the
 * same page either way, so a URL cannot reveal that another commune's record exists.
 */
export function sendNotFound(res: Response): void {
  const t = res.locals.t!;
  sendPage(res, { status: 404, title: t("errors.not_found_title"), body: html`<p>${t("errors.not_found")}</p><p><a href="/console/">${t("errors.back_home")}</a></p>` });
}

/** A page the person's role may not open (the page exists for other roles, so saying so reveals nothing). */
export function sendForbidden(res: Response, message?: string): void {
  const t = res.locals.t!;
  sendPage(res, { status: 403, title: t("errors.forbidden_title"), body: html`<p>${message ?? t("errors.forbidden")}</p><p><a href="/console/">${t("errors.back_home")}</a></p>` });
}

/** A request the person can fix (a bad filter, a missing field): 400 with what was expected. */
export function sendBadRequest(res: Response, message: string): void {
  const t = res.locals.t!;
  sendPage(res, { status: 400, title: t("errors.bad_request_title"), body: html`<p>${message}</p><p><a href="/console/">${t("errors.back_home")}</a></p>` });
}
