import os from "node:os";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { FakeEsmsServer } from "../helpers/fakeEsmsServer.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { esmsConfig } from "./smsTestKit.ts";

describe("eSMS templates", () => {
  let server: TestServer;
  let fake: FakeEsmsServer;
  let now = new Date("2026-11-29T03:00:00Z");
  beforeAll(async () => {
    fake = await FakeEsmsServer.start();
    server = await startTestServer({ clock: () => now, config: { sms: esmsConfig(fake) } });
    await server.services.planReminders();
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  it("`ansinh sms templates` lists the reminder and notice messages with numbered placeholders", async () => {
    const { code, stdout } = await runAnsinh(["sms", "templates"], { cwd: os.tmpdir() });
    expect(code).toBe(0);
    expect(stdout).toContain("# vi reminder_soon (cash)\nAnSinh nhac: ngay {P1} {P2} nhan {P3}. Tai {P4}, mang CCCD. Soan TAT NHAC de tat nhac.\n");
    expect(stdout).toContain("# vi payment_failed\nTro cap ky {P1} cua {P2} chua chi tra duoc: {P3}.\nHay kiem tra");
    expect(stdout).toContain("# en operator_reply\nStaff reply: {P1}\n");
  });

  it("sends what matches a template; refuses a free-text notice locally, with a log line, without calling eSMS", async () => {
    const sql = server.services.db.sql;
    now = new Date("2026-12-02T01:00:00Z");
    const at = sqlTimestamp(now);
    await sql.run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, identityId, kind, text, dueAt, status, createdAt, updatedAt)
       VALUES ('notice:test:free', 'sms', '+84978111222', (SELECT id FROM ChannelIdentity WHERE channel = 'sms' AND externalId = '+84978111222'), 'notice', 'Họp thôn lúc 8 giờ', ?, 'pending', ?, ?)`,
      [at, at, at],
    );
    const warnings = vi.spyOn(process.stderr, "write");
    const counts = await server.services.outbox.drain();
    const logged = warnings.mock.calls.map((c) => String(c[0])).join("");
    warnings.mockRestore();
    expect(counts.sent).toBeGreaterThan(0); // the reminders due now
    expect(counts.failed).toBe(1);
    expect(fake.calls.some((c) => String(c.body.Content).includes("Hop thon"))).toBe(false);
    expect(await sql.get(`SELECT status, lastError FROM OutboxMessage WHERE dedupeKey = 'notice:test:free'`)).toEqual({ status: "failed", lastError: "sms template failed (422): matches no registered template" });
    expect(logged).toContain("SMS refused locally: the text matches no registered template");
  });
});
