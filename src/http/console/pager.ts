import type { Response } from "express";
import { html, type Html } from "./html.ts";

/** ?page= as a page number from 1 (absent: 1), or null when it is not one. */
export function pageNumber(value: unknown): number | null {
  if (value === undefined || value === "") return 1;
  if (typeof value !== "string" || !/^[1-9]\d{0,5}$/.test(value)) return null;
  return Number(value);
}

/** "Previous / page N of M / Next" links that keep the other query parameters. */
export function pager(res: Response, options: { path: string; params: Record<string, string>; page: number; pageSize: number; total: number }): Html {
  const t = res.locals.t!;
  const pages = Math.max(1, Math.ceil(options.total / options.pageSize));
  if (pages === 1 && options.page === 1) return html``;
  const link = (page: number) => `${options.path}?${new URLSearchParams({ ...options.params, page: String(page) })}`;
  return html`<nav class="pager" aria-label="${t("pager.label")}">
  ${options.page > 1 ? html`<a href="${link(options.page - 1)}" rel="prev">${t("pager.previous")}</a>` : ""}
  <span>${t("pager.position", { page: options.page, pages })}</span>
  ${options.page < pages ? html`<a href="${link(options.page + 1)}" rel="next">${t("pager.next")}</a>` : ""}
</nav>`;
}
