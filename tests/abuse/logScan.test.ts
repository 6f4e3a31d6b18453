import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { log } from "../../src/shared/log.ts";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";
import { findPersonalNumbersInLog, knownAccountNumbers, personalNumberKinds } from "../helpers/personalNumbersInLogs.ts";

// The run's logs go to LOG_FILE (tests/logScan.globalSetup.ts), checked at the end of the run.
const accounts = knownAccountNumbers(PROJECT_ROOT);

describe("logs of a test run", () => {
  it("go to the run's LOG_FILE, from this process", () => {
    const file = process.env.LOG_FILE!;
    expect(file).toBeTruthy();
    log.warn("log scan self-check", { marker: "self-check-1" });
    expect(fs.readFileSync(file, "utf8")).toContain("self-check-1");
  });

  it("and from the processes it starts, which inherit LOG_FILE (numbers redacted as ever)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-logscan-"));
    const file = path.join(dir, "child.log");
    try {
      execFileSync(process.execPath, ["--import", "tsx", "-e", `import("./src/shared/log.ts").then(({ log }) => log.info("from a child", { id: "0" + "20190003333" }))`], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, LOG_FILE: file, LOG_LEVEL: "error", LOG_FILE_LEVEL: "info" },
      });
      const written = fs.readFileSync(file, "utf8");
      expect(written).toContain("from a child");
      expect(written).toContain("[number]");
      expect(findPersonalNumbersInLog(file, accounts)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("are checked for citizen IDs, phones in any common spelling and the fixtures' account numbers", () => {
    expect(accounts.has("4200123456789")).toBe(true); // demo/payments-*.csv
    const line = (text: string) => personalNumberKinds(JSON.stringify({ time: "2026-11-29T19:21:42.123Z", level: "warn", msg: text }), accounts);
    expect(line("id 020190003333")).toEqual(["citizen ID number (12 digits)"]);
    for (const phone of ["0912345678", "+84912345678", "84912345678", "0912 345 678", "091.234.5678", "+84 912-345-678", "(+84) 912 345 678"]) expect(line(`call ${phone}`), phone).toContain("phone number");
    expect(line("TK 4200555566667777")).toEqual(["account number"]);
    // Not personal: dates, times, amounts, ids, a masked number.
    for (const text of ["2026-11-29", "05/03/1950", "750000", "took 1764444444444 ms", "update 900001", "***6789", "[number]"]) expect(line(text), text).toEqual([]);
  });

  it("a failing check names the line and the kind, never the number", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-logscan-"));
    const file = path.join(dir, "bad.log");
    try {
      fs.writeFileSync(file, `${JSON.stringify({ msg: "fine" })}\n${JSON.stringify({ msg: "leak 020190003333" })}\n`);
      const found = findPersonalNumbersInLog(file, accounts);
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(`${file}:2`);
      expect(found[0]).not.toMatch(/\d{6}/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
