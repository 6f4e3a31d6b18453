import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type VoiceConfig } from "../../src/config.ts";
import { dashboardFigures } from "../../src/domain/dashboard/dashboardFigures.ts";
import { startFakeStringeeServer } from "../helpers/fakeStringeeServer.ts";
import { startFakeTwilioServer } from "../helpers/fakeTwilioServer.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { StringeeCaller, TwilioCaller, type VoiceCaller } from "../helpers/voiceCallers.ts";
import { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import { africasTalkingConfig } from "../sms/smsTestKit.ts";

const TOKEN = "twilio-test-auth-token";
const ACCOUNT = "ACtest0000";
const STRINGEE_SECRET = "stringee-test-secret";
const KEY_SID = "SKtest";
const KEY_SECRET = "stringee-key-secret";
const PUBLIC_URL = "https://ansinh.example";
const AN = "+84912345678";

/** One provider's fake API and how the service is configured for it. */
interface Provider {
  name: string;
  start(): Promise<{
    url: string;
    calls: { sid: string; To: string; authorized: boolean }[];
    said(call: never): string;
    end(call: never, outcome: "answered" | "no-answer" | "busy", serviceUrl: string): Promise<number>;
    press(call: never, keys: string, serviceUrl: string): Promise<string>;
    close(): Promise<void>;
  }>;
  voice(fakeUrl: string): Partial<VoiceConfig>;
  caller(baseUrl: string): VoiceCaller;
  statusPath: string;
}

const providers: Provider[] = [
  {
    name: "Twilio",
    start: () => startFakeTwilioServer(ACCOUNT, TOKEN) as never,
    voice: (url) => ({ twilioAuthToken: TOKEN, twilioAccountSid: ACCOUNT, twilioApiRoot: url }),
    caller: (baseUrl) => new TwilioCaller(baseUrl, AN, TOKEN, PUBLIC_URL),
    statusPath: "/voice/twilio/status",
  },
  {
    name: "Stringee",
    start: () => startFakeStringeeServer(KEY_SID, KEY_SECRET) as never,
    voice: (url) => ({ stringeeSecret: STRINGEE_SECRET, stringeeKeySid: KEY_SID, stringeeKeySecret: KEY_SECRET, stringeeApiRoot: url }),
    caller: (baseUrl) => new StringeeCaller(baseUrl, AN.slice(1), STRINGEE_SECRET),
    statusPath: "/voice/stringee/status",
  },
];

describe.each(providers)("reminder calls through $name for someone who prefers calls", (provider) => {
  let fake: Awaited<ReturnType<Provider["start"]>>;
  let sms: FakeAfricasTalkingSms;
  let server: TestServer;
  // 22:00 in Vietnam on 2 December 2026: Nguyễn Văn An's payment of 5 December is due a reminder, but it is night.
  let now = new Date("2026-12-02T15:00:00Z");

  beforeAll(async () => {
    fake = await provider.start();
    sms = await FakeAfricasTalkingSms.start();
    server = await startTestServer({
      clock: () => now,
      config: {
        publicUrl: PUBLIC_URL,
        voice: { ...loadConfig().voice, twilioAuthToken: null, stringeeSecret: null, callerId: "+842873001234", callsPerMinute: 100, retryMinutes: 30, ...provider.voice(fake.url) },
        sms: africasTalkingConfig(sms),
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
    await sms.close();
  });

  const outboxRows = () =>
    server.services.db.sql.all<{ channel: string; kind: string; status: string }>(
      "SELECT channel, kind, status FROM OutboxMessage WHERE externalId = ? AND channel IN ('voice', 'sms') AND kind = 'reminder_before' ORDER BY id",
      [AN],
    );

  it("is asked for on a call, placed in day hours through the outbox, retried once when unanswered, then falls back to an SMS", async () => {
    // On a call, in the reminders menu, the person asks for reminders by phone call.
    const phone = provider.caller(server.baseUrl);
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

    // 10:00 the next morning: one call, through the provider's API, saying the reminder and "press 1".
    now = new Date("2026-12-03T03:00:00Z");
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(1);
    const first = fake.calls[0];
    expect(first.authorized).toBe(true);
    expect(first.To).toBe(AN);
    expect(fake.said(first as never)).toContain("đồng");
    expect(fake.said(first as never)).toContain("Bấm 1 để nghe lại.");

    // Pressing 1 on the call says it again.
    const again = await fake.press(first as never, "1", server.baseUrl);
    expect(again).toContain("đồng");
    expect(again).toContain("Bấm 1 để nghe lại.");

    // Not answered: tried again 30 minutes later, once.
    expect(await fake.end(first as never, "no-answer", server.baseUrl)).toBe(204);
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(1);
    now = new Date(now.getTime() + 31 * 60_000);
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(2);

    // The retry is not answered either: an SMS to the same phone is sent, and no third call.
    expect(await fake.end(fake.calls[1] as never, "busy", server.baseUrl)).toBe(204);
    expect(await fake.end(fake.calls[1] as never, "busy", server.baseUrl)).toBe(204); // a repeated callback changes nothing
    now = new Date(now.getTime() + 120 * 60_000);
    await server.services.outbox.drain();
    expect(fake.calls).toHaveLength(2);
    expect((await outboxRows()).map((r) => [r.channel, r.status])).toEqual([
      ["voice", "sent"],
      ["voice", "sent"],
      ["sms", "sent"],
    ]);
    const texts = sms.accepted.filter((c) => c.body.to === AN).map((c) => c.body.message);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^[\x20-\x7e\n]+$/); // unaccented, as SMS goes out
    expect(texts[0]).toContain("d");

    const outcomes = await server.services.db.sql.all<{ outcome: string; provider: string }>("SELECT outcome, provider FROM VoiceCall ORDER BY id");
    expect(outcomes).toEqual([
      { outcome: "no_answer", provider: provider.name.toLowerCase() },
      { outcome: "busy", provider: provider.name.toLowerCase() },
    ]);
    const dashboard = await dashboardFigures(server.services.db.sql, { period: "2026-12", scope: { communeIds: "all" }, now });
    expect(dashboard.ok && dashboard.figures.voiceCalls).toEqual({ answered: 0, no_answer: 1, busy: 1, failed: 0, pending: 0 });
  });

  it("an answered call is recorded and neither retried nor followed by an SMS", async () => {
    await server.services.db.sql.run("UPDATE OutboxMessage SET status = 'pending', dueAt = ? WHERE kind = 'reminder_day' AND channel = 'voice'", [new Date(now.getTime() - 60_000).toISOString()]);
    await server.services.outbox.drain();
    const call = fake.calls.at(-1)!;
    expect(await fake.end(call as never, "answered", server.baseUrl)).toBe(204);
    now = new Date(now.getTime() + 120 * 60_000);
    await server.services.outbox.drain();
    expect(fake.calls.at(-1)).toBe(call);
    const smsForDay = await server.services.db.sql.all("SELECT id FROM OutboxMessage WHERE channel = 'sms' AND kind = 'reminder_day' AND externalId = ?", [AN]);
    expect(smsForDay).toEqual([]);
  });

  it("a forged end-of-call report is refused and changes nothing", async () => {
    const call = fake.calls[0];
    const response = await fetch(`${server.baseUrl}${provider.statusPath}?secret=wrong&s=0`, {
      method: "POST",
      headers: provider.name === "Twilio" ? { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "forged" } : { "content-type": "application/json" },
      body: provider.name === "Twilio" ? new URLSearchParams({ CallSid: call.sid, CallStatus: "completed" }) : JSON.stringify({ call_id: call.sid, call_status: "answered" }),
    });
    expect(response.status).toBe(403);
    const outcome = await server.services.db.sql.get<{ outcome: string }>("SELECT outcome FROM VoiceCall WHERE providerCallId = ?", [call.sid]);
    expect(outcome?.outcome).toBe("no_answer");
  });
});

describe("reminder calls where no SMS channel is configured", () => {
  let fake: Awaited<ReturnType<Provider["start"]>>;
  let server: TestServer;
  let now = new Date("2026-12-03T03:00:00Z");

  beforeAll(async () => {
    fake = await providers[0].start();
    server = await startTestServer({
      clock: () => now,
      config: { publicUrl: PUBLIC_URL, voice: { ...loadConfig().voice, callerId: "+842873001234", callsPerMinute: 100, retryMinutes: 30, ...providers[0].voice(fake.url) } },
    });
  });
  afterAll(async () => {
    await server.close();
    await fake.close();
  });

  it("after two unanswered calls nothing is left waiting for a channel that does not exist", async () => {
    await providers[0].caller(server.baseUrl).call(); // a first call makes the voice identity
    await server.services.db.sql.run("UPDATE ChannelIdentity SET prefersVoice = TRUE WHERE channel = 'voice' AND externalId = ?", [AN]);
    await server.services.planReminders(now);
    await server.services.outbox.drain();
    expect(fake.calls.length).toBeGreaterThan(0);
    expect(await fake.end(fake.calls[0] as never, "no-answer", server.baseUrl)).toBe(204);
    now = new Date(now.getTime() + 31 * 60_000);
    await server.services.outbox.drain();
    const retry = fake.calls.at(-1)!;
    expect(retry).not.toBe(fake.calls[0]);
    expect(await fake.end(retry as never, "no-answer", server.baseUrl)).toBe(204);
    const waiting = await server.services.db.sql.all("SELECT id FROM OutboxMessage WHERE channel = 'sms'");
    expect(waiting).toEqual([]);
    expect(await server.services.db.sql.all<{ outcome: string }>("SELECT outcome FROM VoiceCall ORDER BY id LIMIT 2")).toEqual([{ outcome: "no_answer" }, { outcome: "no_answer" }]);
  });
});
