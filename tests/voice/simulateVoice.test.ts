import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runAnsinh } from "../helpers/runAnsinh.ts";

describe("ansinh simulate --channel voice", () => {
  it("prints what a call would say and takes keys, silence included", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-sim-voice-"));
    try {
      const env = { DATABASE_URL: `file:${path.join(dir, "sim.db")}` };
      const result = await runAnsinh(["simulate", "--channel", "voice", "--phone", "0912345678"], { cwd: dir, env, input: "1\n1\n\n\n\n" });
      expect(result.code).toBe(0);
      // A first call: the personal-data notice is spoken first, agreed to with 1, before the menu.
      expect(result.stdout).toContain("🔊 Thông báo về dữ liệu cá nhân");
      expect(result.stdout.indexOf("Thông báo về dữ liệu cá nhân")).toBeLessThan(result.stdout.indexOf("Xem tiền trợ cấp: bấm 1."));
      expect(result.stdout).toContain("🔊 Xem tiền trợ cấp: bấm 1.");
      expect(result.stdout).toContain("1.000.000 đồng");
      expect(result.stdout).toContain("[waits up to 7 s for 1 key(s)]");
      expect(result.stdout.match(/chưa nghe thấy/g)).toHaveLength(2);
      expect(result.stdout).toContain("[hangs up]");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
