import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planReminders } from "../../src/domain/outbox/planReminders.ts";
import { syncSmsIdentities } from "../../src/domain/outbox/syncSmsIdentities.ts";
import { setReminderCalls } from "../../src/domain/people/reminderCalls.ts";
import { setSmsChoice } from "../../src/domain/people/smsChoice.ts";
import { exportPersonalData } from "../../src/domain/privacy/exportPersonalData.ts";
import { startTelegramTest, textOf, type TelegramTest } from "../channels/telegram/telegramTestKit.ts";
import { beneficiaryId, DEMO, signedIn } from "../helpers/consoleClient.ts";
import { UssdCaller } from "../helpers/testServer.ts";

// Consent is the person's, not the phone's or the chat's (Law 91/2025/QH15). Nguyễn Văn An (DEMO,
// Bắc Sơn, paid on 5 December) agrees to the notice on USSD and on Telegram, and staff turn on SMS
// and reminder calls for him: reminders go to all four. He withdraws on USSD: nothing more reaches
// any of them (reminders, broadcasts), also a Telegram chat that had agreed before and identifies
// only after. A new chat that agrees after the withdrawal receives messages, and an old one does
// again when he turns reminders on there; nothing else comes back on.
const AN = { phone: "+84912345678", citizenId: "020050001234", dateOfBirth: "05/03/1950" };
const SCHEDULE = { daysBefore: 3, deliveryTime: "07:30" };
const now = new Date("2026-12-01T03:00:00Z"); // 10:00 in Vietnam
let test: TelegramTest;
let an: number;
const sql = () => test.server.services.db.sql;
const bacSon = async () => ({ communeIds: [(await sql().get<{ communeId: number }>(`SELECT communeId FROM Beneficiary WHERE id = ?`, [an]))!.communeId] });

/** A person's (An's by default) channel identities: "channel:externalId" → reminders on. */
async function identities(person = an): Promise<Record<string, boolean>> {
  const rows = await sql().all<{ channel: string; externalId: string; remindersOn: unknown }>(`SELECT channel, externalId, remindersOn FROM ChannelIdentity WHERE beneficiaryId = ? ORDER BY id`, [person]);
  return Object.fromEntries(rows.map((r) => [`${r.channel}:${r.externalId}`, Boolean(r.remindersOn)]));
}

/** The messages waiting for a person's (An's) identities, as "channel:externalId kind", sorted. */
async function pending(person = an): Promise<string[]> {
  const rows = await sql().all<{ channel: string; externalId: string; kind: string }>(
    `SELECT ci.channel, ci.externalId, o.kind FROM OutboxMessage o JOIN ChannelIdentity ci ON ci.id = o.identityId
     WHERE ci.beneficiaryId = ? AND o.status = 'pending' ORDER BY ci.id, o.kind`,
    [person],
  );
  return rows.map((r) => `${r.channel}:${r.externalId} ${r.kind}`).sort();
}

async function broadcast(text: string, at?: Date) {
  const scope = await bacSon();
  const created = await test.server.services.broadcasts.create({ textVi: text, textEn: null, audience: {}, createdBy: "demo-staff", scope });
  if (!created.ok) throw new Error(created.message);
  const queued = at
    ? await test.server.services.broadcasts.schedule({ id: created.broadcast.id, at, by: "demo-staff", scope })
    : await test.server.services.broadcasts.sendNow({ id: created.broadcast.id, by: "demo-staff", scope });
  if (!queued.ok) throw new Error(queued.message);
  return queued.queued;
}

beforeAll(async () => {
  test = await startTelegramTest({ clock: () => now, config: { outbox: { quietHours: "00:00-00:00", workers: 1, leaseSeconds: 60, maxAttempts: 2, pollMs: 60_000 } } });
  an = await beneficiaryId(sql(), "DEMO-0001");
});
afterAll(async () => {
  await test?.close();
});

describe("consent across a person's channels", () => {
  it("an SMS or call identity added after a withdrawal starts with reminders off", async () => {
    // Vi Thị Hoa (DEMO, paid on 6 December) agrees on USSD, then withdraws, before SMS or calls are set up for her.
    const hoa = await beneficiaryId(sql(), "DEMO-0004");
    const phone = new UssdCaller(test.server.baseUrl, "+84978111222");
    expect((await phone.dial()).screen).toContain("Vi Thi Hoa (DEMO)");
    await phone.press("rut dong y");
    expect((await phone.press("1")).screen).toMatch(/Da rut dong y/);
    await syncSmsIdentities(sql(), now);
    expect(await setSmsChoice(sql(), hoa, "on", "demo-staff", now)).toBe(true);
    expect(await setReminderCalls(sql(), hoa, true, "demo-staff", now)).toBe(true);
    expect(await identities(hoa)).toEqual({ "ussd:+84978111222": false, "sms:+84978111222": false, "voice:+84978111222": false });
    await planReminders(sql(), SCHEDULE, now);
    expect(await pending(hoa)).toEqual([]);
  });

  it("a withdrawal on USSD stops every channel of the person; agreeing again on a channel brings back only that one", async () => {
    // Agreed on USSD (known by the phone) and on Telegram (by citizen ID and birth date).
    const phone = new UssdCaller(test.server.baseUrl, AN.phone);
    expect((await phone.dial()).screen).toContain("Nguyen Van An (DEMO)");
    const telegram = test.user(93_001);
    expect((await telegram.identifyByCitizenId(AN.citizenId, AN.dateOfBirth)).map(textOf).join("\n")).toContain("Nguyễn Văn An (DEMO)");
    // Another chat of his agrees to the notice now, and identifies only after the withdrawal.
    const laterChat = test.user(93_003);
    expect((await laterChat.say("/start")).map(textOf).join("\n")).toContain("Nhập số CCCD");
    // Staff send him SMS too, and reminder calls.
    await syncSmsIdentities(sql(), now);
    expect(await setSmsChoice(sql(), an, "on", "demo-staff", now)).toBe(true);
    expect(await setReminderCalls(sql(), an, true, "demo-staff", now)).toBe(true);

    await planReminders(sql(), SCHEDULE, now);
    const tomorrow = new Date(now.getTime() + 86_400_000);
    expect(await broadcast("Họp thôn ngày mai.", tomorrow)).toBeGreaterThan(0);
    const everyChannel = [`ussd:${AN.phone}`, "telegram:93001", `sms:${AN.phone}`, `voice:${AN.phone}`];
    expect(await identities()).toEqual(Object.fromEntries(everyChannel.map((k) => [k, true])));
    expect(await pending()).toEqual(everyChannel.flatMap((k) => [`${k} notice`, `${k} reminder_before`, `${k} reminder_day`]).sort());

    // Withdrawn on USSD.
    await phone.freshDial();
    await phone.press("rut dong y");
    expect((await phone.press("1")).screen).toMatch(/Da rut dong y \(yeu cau DL[A-Z0-9]{8}\)/);
    expect(await identities()).toEqual(Object.fromEntries(everyChannel.map((k) => [k, false])));
    expect(await pending()).toEqual([]); // the reminders and the broadcast queued before are cancelled, on every channel
    await planReminders(sql(), SCHEDULE, now);
    expect(await broadcast("Thông báo mới của xã.")).toBeGreaterThan(0); // others of the commune still hear it
    expect(await pending()).toEqual([]);
    await test.server.services.outbox.drain();
    expect(test.fake.delivered(93_001).map(textOf).join("\n")).not.toContain("Thông báo mới của xã.");

    // The chat that agreed before the withdrawal is identified now: the person's withdrawal holds for it.
    await laterChat.say(AN.citizenId);
    await laterChat.say(AN.dateOfBirth);
    expect((await identities())["telegram:93003"]).toBe(false);

    // A new chat agrees after the withdrawal: that chat, and only that one, receives messages.
    const newChat = test.user(93_002);
    const agreed = (await newChat.identifyByCitizenId(AN.citizenId, AN.dateOfBirth)).map(textOf).join("\n");
    expect(agreed).toContain("Nguyễn Văn An (DEMO)");
    await planReminders(sql(), SCHEDULE, now);
    expect(await pending()).toEqual(["telegram:93002 reminder_before", "telegram:93002 reminder_day"]);

    // On the first Telegram chat he turns reminders on again: that chat too, nothing else.
    expect((await telegram.say("bat nhac")).map(textOf).join("\n")).toContain("Đã bật");
    await planReminders(sql(), SCHEDULE, now);
    expect(await pending()).toEqual(["telegram:93001 reminder_before", "telegram:93001 reminder_day", "telegram:93002 reminder_before", "telegram:93002 reminder_day"]);
    expect(await identities()).toEqual({
      [`ussd:${AN.phone}`]: false,
      "telegram:93001": true,
      [`sms:${AN.phone}`]: false,
      [`voice:${AN.phone}`]: false,
      "telegram:93003": false,
      "telegram:93002": true,
    });
  });

  it("his consents on every channel are on his page in the console and in his export", async () => {
    const expected = [
      ["ussd", "given"],
      ["telegram", "given"],
      ["telegram", "given"],
      ["ussd", "withdrawn"],
      ["telegram", "given"],
    ];
    const exported = await exportPersonalData(sql(), { beneficiaryId: an }, { actor: { kind: "staff", id: "demo-staff" }, now });
    const consents = exported!.json.sections.consents as { channel: string; externalId: string; decision: string }[];
    expect(consents.map((c) => [c.channel, c.decision])).toEqual(expected);
    expect(consents.map((c) => c.externalId)).toEqual([AN.phone, "93001", "93003", AN.phone, "93002"]);

    const staff = await signedIn(test.server.baseUrl, DEMO.staffBacSon);
    const page = await staff.get(`/console/people/${an}`);
    expect(page.status).toBe(200);
    const section = page.text.slice(page.text.indexOf('id="consents-h"'));
    const rows = [...section.matchAll(/<tr><td>[^<]*<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>2026-12-v2<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ["USSD (điện thoại thường)", "Đồng ý"],
      ["Telegram", "Đồng ý"],
      ["Telegram", "Đồng ý"],
      ["USSD (điện thoại thường)", "Rút đồng ý"],
      ["Telegram", "Đồng ý"],
    ]);
  });
});
