import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkProjectFlows } from "../../src/flowsCheck/checkProjectFlows.ts";

describe("flows check lists sentences without recordings", () => {
  it("per language, leaving out those recorded, and a recorded language counts no problem", () => {
    const audioDir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-audio-"));
    try {
      fs.mkdirSync(path.join(audioDir, "vi"));
      fs.writeFileSync(path.join(audioDir, "vi", "main.greeting.mp3"), "ID3");
      const report = checkProjectFlows({ ussdScreenLimit: 160, audioDir });
      expect(report.problems).toEqual([]);
      expect(report.unrecorded.vi).not.toContain("main.greeting");
      expect(report.unrecorded.vi).toContain("status.amount");
      expect(report.unrecorded.vi).toContain("voice.silence");
      expect(report.unrecorded.en).toContain("main.greeting");
    } finally {
      fs.rmSync(audioDir, { recursive: true, force: true });
    }
  });
});
