import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { dashboardFigures } from "../../src/domain/dashboard/dashboardFigures.ts";
import { startFakeTwilioServer } from "../helpers/fakeTwilioServer.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { TwilioCaller } from "../helpers/voiceCallers.ts";

const TOKEN = "twilio-test-auth-token";
const ACCOUNT = "ACtest0000";
const PUBLIC_URL = "https://ansinh.example";
const AN = "+84912345678";

let fake: Awaited<ReturnType<typeof startFakeTwilioServer>>;
let server: TestServer;
// 22:00 in Vietnam on 2 December 2026: Nguyễn Văn An's payment of 5 December is due a reminder, but it is night.
let now = new Date("2026-12-02T15:00:00Z");

beforeAll(async () => {
  fake = await startFakeTwilioServer(ACCOUNT, TOKEN);
  server = await startTestServer({
    clock: () => now,
    config: {
      publicUrl: PUBLIC_URL,
      voice: { ...loadConfig().voice, twilioAuthToken: TOKEN, twilioAccountSid: ACCOUNT, twilioApiRoot: fake.url, callerId: "+842873001234", callsPerMinute: 100, retryMinutes: 30 },
    },
  });
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

const outboxRows = () =>
  server.services.db.sql.all<{ channel: string; externalId: string; kind: string; status: string; dedupeKey: string }>(
    "SELECT channel, externalId, kind, status, dedupeKey FROM OutboxMessage WHERE externalId = ? AND channel IN ('voice', 'sms') AND kind = 'reminder_before' ORDER BY id",
    [AN],
  );

describe("reminder calls for someone who prefers calls", () => {
  it("is asked for on a call, placed in day hours through the outbox, retried once when unanswered, then falls back to an SMS", async () => {
    // On a call, in the reminders menu, the person asks for reminders by phone call.
    const phone = new TwilioCaller(server.baseUrl, AN, TOKEN, PUBLIC_URL);
    const menu = await phone.call();
    const reminders = await phone.press(menu.spoken.match(/Nhắc lịch nhận tiền: bấm (\d)/)![1]);
    const saved = await phone.press(reminders.spoken.match(/Nhắc bằng cuộc gọi điện: bấm (\d)/)![1]);
    expect(saved.spoken).toContain("gọi điện nhắc lịch");
    const identity = await server.services.db.sql.get<{ prefersVoice: number | boolean }>("SELECT prefersVoice FROM ChannelIdentity WHERE channel = 'voice' AND externalId = ?", [AN]);
    expect(Boolean(identity?.prefersVoice)).toBe(true);

    // Night: planned, not called.
    await server.services.planReminders(now);
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(0);

    // 10:00 the next morning: one call, through Twilio's API, saying the reminder and "press 1".
    now = new Date("2026-12-03T03:00:00Z");
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(1);
    const first = fake.calls[0];
    expect(first.authorized).toBe(true);
    expect(first.To).toBe(AN);
    expect(first.StatusCallback).toBe(`${PUBLIC_URL}/voice/twilio/status`);
    expect(first.Twiml).toContain('<Gather input="dtmf" numDigits="1"');
    expect(first.Twiml).toContain("đồng");
    expect(first.Twiml).toContain("Bấm 1 để nghe lại.");

    // Pressing 1 on the call says it again.
    const again = await phone.post("/voice/twilio/reminder", { Digits: "1", Direction: "outbound-api" }, TOKEN, first.sid);
    expect(again.spoken).toContain("Bấm 1 để nghe lại.");
    expect(again.spoken).toContain("đồng");

    // Not answered: tried again 30 minutes later, once.
    expect(await fake.end(first, "no-answer", server.baseUrl)).toBe(204);
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(1);
    now = new Date(now.getTime() + 31 * 60_000);
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(2);

    // The retry is not answered either: an SMS to the same phone is queued, and no third call.
    expect(await fake.end(fake.calls[1], "busy", server.baseUrl)).toBe(204);
    expect(await fake.end(fake.calls[1], "busy", server.baseUrl)).toBe(204); // Twilio may repeat a callback: nothing more
    now = new Date(now.getTime() + 120 * 60_000);
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(2);
    const rows = await outboxRows();
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ["voice", "sent"],
      ["voice", "sent"],
      ["sms", "pending"],
    ]);
    expect(rows[2].kind).toBe(rows[0].kind);

    const outcomes = await server.services.db.sql.all<{ outcome: string }>("SELECT outcome FROM VoiceCall ORDER BY id");
    expect(outcomes.map((o) => o.outcome)).toEqual(["no_answer", "busy"]);
    const dashboard = await dashboardFigures(server.services.db.sql, { period: "2026-12", scope: { communeIds: "all" }, now });
    expect(dashboard.ok && dashboard.figures.voiceCalls).toEqual({ answered: 0, no_answer: 1, busy: 1, failed: 0, pending: 0 });
  });

  it("a forged status callback is refused and changes nothing", async () => {
    const response = await fetch(`${server.baseUrl}/voice/twilio/status`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "forged" },
      body: new URLSearchParams({ CallSid: fake.calls[0].sid, CallStatus: "completed" }),
    });
    expect(response.status).toBe(403);
    const outcome = await server.services.db.sql.get<{ outcome: string }>("SELECT outcome FROM VoiceCall WHERE providerCallId = ?", [fake.calls[0].sid]);
    expect(outcome?.outcome).toBe("no_answer");
  });
});
