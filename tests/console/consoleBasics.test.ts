import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { html, raw } from "../../src/http/console/html.ts";
import { LOCALES_DIR } from "../../src/shared/projectPaths.ts";
import { maskPhoneForStaff } from "../../src/shared/phone.ts";
import { maskCitizenId } from "../../src/shared/mask.ts";
import { Scope } from "../../src/http/console/scope.ts";
import type { Sql } from "../../src/db/sql/sql.ts";

describe("the html template", () => {
  it("escapes every interpolation unless it is html or raw()", () => {
    const name = `<script>alert("x")</script> & 'quotes' \`back\``;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      "<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;back&#96;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; &#96;back&#96;</p>",
    );
    expect(html`<ul>${["<a>", html`<li>${"<b>"}</li>`]}</ul>`.value).toBe("<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>");
    expect(html`${null}${undefined}${false}${0}${raw("<hr>")}`.value).toBe("0<hr>");
  });
});

describe("masking for the console", () => {
  it("shows a citizen ID's last 4 digits and a phone's first 4 and last 3", () => {
    expect(maskCitizenId("1234")).toBe("****1234");
    expect(maskCitizenId(null)).toBe("");
    expect(maskPhoneForStaff("+84912345678")).toBe("0912***678");
  });
});

describe("Scope", () => {
  const user = { id: 1, username: "u", displayName: "U", role: "staff" as const };
  const sql = {} as Sql;
  it("restricts queries to the communes a staff account works for", () => {
    expect(new Scope(user, [3, 7], sql).communeFilter("b.communeId")).toEqual({ sql: "b.communeId IN (?, ?)", params: [3, 7] });
    expect(new Scope(user, [], sql).communeFilter("b.communeId")).toEqual({ sql: "0 = 1", params: [] });
    expect(new Scope({ ...user, role: "admin" }, "all", sql).communeFilter("communeId")).toEqual({ sql: "1 = 1", params: [] });
    expect(() => new Scope(user, [1], sql).communeFilter("1); DROP TABLE x; --")).toThrow(/not a column name/);
    expect(new Scope(user, [3], sql).allowsCommune(3)).toBe(true);
    expect(new Scope(user, [3], sql).allowsCommune(4)).toBe(false);
    expect(new Scope(user, [3], sql).allowsCommune(null)).toBe(false);
    expect(new Scope({ ...user, role: "operator" }, "all", sql).allowsCommune(null)).toBe(true);
  });
});

describe("console sentences", () => {
  const keys = (value: unknown, prefix = ""): string[] =>
    typeof value === "object" && value !== null
      ? Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
      : [prefix.replace(/_(one|other)$/, "")];
  const read = (lang: string) => new Set(keys(JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, lang, "console.json"), "utf8"))));

  it("exist in Vietnamese and English alike", () => {
    const vi = read("vi");
    const en = read("en");
    expect([...vi].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !vi.has(k))).toEqual([]);
  });

  it("cover every key the console's code names", () => {
    const vi = read("vi");
    const dir = path.join(path.dirname(LOCALES_DIR), "src", "http", "console");
    const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"));
    const used = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      for (const m of text.matchAll(/\bt\("([a-z_]+(?:\.[a-zA-Z_]+)+)"/g)) used.add(m[1]);
      for (const m of text.matchAll(/navKey: "([a-z_.]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !vi.has(k))).toEqual([]);
  });
});
