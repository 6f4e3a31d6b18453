import { escapeHtml } from "../../shared/escapeHtml.ts";

/**
 * HTML from TypeScript: `html` escapes every interpolated value unless it is itself `Html`
 * (another html`…` fragment, or text marked with `raw()`). Arrays are joined; null, undefined
 * and false render as nothing, so `${cond && html`…`}` works.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];


function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Markup that is trusted as it is. Never pass it anything a person typed or a list import brought. */
export function raw(markup: string): Html {
  return new Html(markup);
}
