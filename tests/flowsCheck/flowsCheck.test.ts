import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkProjectFlows } from "../../src/flowsCheck/checkProjectFlows.ts";
import { FLOWS_DIR, LOCALES_DIR } from "../../src/shared/projectPaths.ts";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the project's flows and locales, changed by `edit`. */
function brokenCopy(edit: (flowsDir: string, localesDir: string) => void) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-flows-"));
  temps.push(root);
  fs.cpSync(FLOWS_DIR, path.join(root, "flows"), { recursive: true });
  fs.cpSync(LOCALES_DIR, path.join(root, "locales"), { recursive: true });
  edit(path.join(root, "flows"), path.join(root, "locales"));
  return checkProjectFlows({ ussdScreenLimit: 160, flowsDir: path.join(root, "flows"), localesDir: path.join(root, "locales") });
}

function replaceIn(file: string, from: string, to: string) {
  const text = fs.readFileSync(file, "utf8");
  expect(text).toContain(from);
  fs.writeFileSync(file, text.replace(from, to));
}

describe("flows check", () => {
  it("passes on the project's flows", () => {
    const report = checkProjectFlows({ ussdScreenLimit: 160 });
    expect(report.problems).toEqual([]);
    expect(report.flowCount).toBeGreaterThanOrEqual(6);
    expect(report.locales).toEqual(["vi", "en"]);
  });

  it("reports an unknown action with its file and node", () => {
    const report = brokenCopy((flows) => replaceIn(path.join(flows, "status.yaml"), "action: current_payment", "action: current_paymnt"));
    expect(report.problems).toContain('status.yaml [load]: unknown action "current_paymnt"');
  });

  it("reports a sentence missing in one language", () => {
    const report = brokenCopy((_flows, locales) => replaceIn(path.join(locales, "en", "bot.json"), '"none": "There is no payment for you in the lists yet.",', ""));
    expect(report.problems).toContain('status.yaml [none]: sentence "status.none" is missing in locales/en');
  });

  it("reports a jump to nowhere", () => {
    const report = brokenCopy((flows) => replaceIn(path.join(flows, "reminders.yaml"), "go: save", "go: sav"));
    expect(report.problems.some((p) => p.includes('reminders.yaml [is_on]: jump to nowhere: "sav"'))).toBe(true);
  });

  it("reports an unreachable node", () => {
    const report = brokenCopy((flows) => fs.appendFileSync(path.join(flows, "status.yaml"), "\n  orphan:\n    type: message\n    text: status.none\n    end: true\n"));
    expect(report.problems).toContain("status.yaml [orphan]: unreachable: no path leads here");
  });

  it("reports a malformed node and an automatic loop", () => {
    const bad = brokenCopy((flows) => replaceIn(path.join(flows, "language.yaml"), "type: menu", "type: menuu"));
    expect(bad.problems.some((p) => p.startsWith("language.yaml [choose]:"))).toBe(true);
    const loop = brokenCopy((flows) => replaceIn(path.join(flows, "main.yaml"), "    text: identify.mismatch\n    next: ask_citizen_id", "    text: identify.mismatch\n    next: verify"));
    expect(loop.problems).toContain("main.yaml [verify]: loops through automatic nodes without waiting for input");
  });
});
