import { describe, expect, it } from "vitest";
import { barChart } from "../../src/http/console/charts.ts";
import { html } from "../../src/http/console/html.ts";

describe("barChart", () => {
  it("draws bars in proportion to the largest, writes labels and values as escaped text, and hides the picture from screen readers", () => {
    const chart = barChart({
      caption: "Payments <by> result",
      bars: [
        { label: "Paid", value: 30, tone: "ok" },
        { label: "<script>", value: 15, text: "15 (50%)" },
        { label: "Failed", value: 0, tone: "bad" },
        { label: "A label far too long to fit beside its bar", value: 1 },
      ],
      table: html`<table><tr><td>30</td></tr></table>`,
    }).value;
    const widths = [...chart.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([200, 100, 0, 7]);
    expect(chart).toContain('class="bar bar-ok"');
    expect(chart).toContain('class="bar bar-bad"');
    expect(chart).toContain(">15 (50%)</text>");
    expect(chart).toContain("&lt;script&gt;");
    expect(chart).not.toContain("<script>");
    expect(chart).toContain("A label far too long to f…");
    expect(chart).toContain("<figcaption>Payments &lt;by&gt; result</figcaption>");
    expect(chart).toMatch(/<svg [^>]*aria-hidden="true"/);
    expect(chart).toContain("<table><tr><td>30</td></tr></table>");
  });

  it("draws nothing but labels when every value is zero", () => {
    const chart = barChart({ caption: "x", bars: [{ label: "a", value: 0 }, { label: "b", value: 0 }], table: html`` }).value;
    expect([...chart.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => m[1])).toEqual(["0", "0"]);
  });
});
