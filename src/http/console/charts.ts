import { html, type Html } from "./html.ts";

export interface Bar {
  label: string;
  value: number;
  /** What is written at the end of the bar (the value by default). */
  text?: string;
  /** A colour class from console.css: .bar-ok, .bar-bad, .bar-warn, .bar-muted (the accent by default). */
  tone?: "ok" | "bad" | "warn" | "muted";
}

const WIDTH = 460;
const LABEL_WIDTH = 200;
const BAR_SPACE = 200;
/** Longer labels are cut (the table beside the chart has them whole). */
const LABEL_CHARACTERS = 26;
const ROW = 30;

/**
 * A small horizontal bar chart drawn on the server as SVG (no script, no library), with its labels
 * and values as text. The picture is hidden from screen readers: `table` is read instead, so pass
 * the same figures as a table (visually hidden or not).
 */
export function barChart(options: { caption: string; bars: Bar[]; table: Html }): Html {
  const max = Math.max(1, ...options.bars.map((b) => b.value));
  const height = options.bars.length * ROW + 4;
  const rows = options.bars.map((bar, i) => {
    const y = i * ROW + 4;
    const width = bar.value > 0 ? Math.max(2, Math.round((bar.value / max) * BAR_SPACE)) : 0;
    return html`<g>
      <text x="${LABEL_WIDTH - 8}" y="${y + 16}" text-anchor="end" class="chart-label">${bar.label.length > LABEL_CHARACTERS ? `${bar.label.slice(0, LABEL_CHARACTERS - 1)}…` : bar.label}</text>
      <rect x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${ROW - 10}" rx="2" class="bar${bar.tone ? ` bar-${bar.tone}` : ""}"></rect>
      <text x="${LABEL_WIDTH + width + 6}" y="${y + 16}" class="chart-value">${bar.text ?? String(bar.value)}</text>
    </g>`;
  });
  return html`<figure class="chart">
  <figcaption>${options.caption}</figcaption>
  <svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" aria-hidden="true" focusable="false">${rows}</svg>
  ${options.table}
</figure>`;
}
