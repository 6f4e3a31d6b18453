import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeAfricasTalkingSms } from "../helpers/fakeAfricasTalkingSms.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { isConsentNotice } from "../helpers/consentNotice.ts";
import { africasTalkingConfig, CALLBACK_SECRET } from "./smsTestKit.ts";
import { importPaymentStatusPeople, STATUS_PEOPLE } from "../helpers/paymentStatusPeople.ts";
import { countSmsSegments } from "../../src/shared/smsSegments.ts";

const AN = "+84912345678";
const SON = "+84388999000";
const STRANGER = "+84333444555";
/** Demo: Lương Văn Cường (DEMO), guardian of Hoàng Thị Bình and Lương Minh Đức (both to be paid 05/12/2026). */
const CUONG = "+84987654321";
/** Demo: Vi Thị Hoa (DEMO), who has never texted the service. */
const HOA = "+84978111222";
/** Guardian of two: one not paid (the account does not exist), one paid on 05/12/2026. */
const GUARDIAN = STATUS_PEOPLE.guardian;
let server: TestServer;
let fake: FakeAfricasTalkingSms;
let sequence = 0;

beforeAll(async () => {
  fake = await FakeAfricasTalkingSms.start();
  server = await startTestServer({ config: { sms: africasTalkingConfig(fake), outbox: { quietHours: "00:00-00:00", workers: 1, leaseSeconds: 60, maxAttempts: 8, pollMs: 1000 } } });
  await importPaymentStatusPeople(server.services); // a guardian whose two people were paid and not paid
  await server.services.planReminders(); // creates the SMS identities of the phones on record
  // An agreed to the personal-data notice before: the tests below are about what follows it.
  await agree(AN);
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

/** Posts an incoming SMS as Africa's Talking does; resolves with the HTTP status. */
async function text(from: string, body: string, id = `ATXid_in_${++sequence}`, secret = CALLBACK_SECRET): Promise<number> {
  const response = await fetch(`${server.baseUrl}/sms/africastalking/${secret}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ from, to: "8171", text: body, id, date: "2026-12-01 10:00:00", linkId: "" }),
  });
  return response.status;
}

/** The next SMS the service sends to `phone` (it answers after the webhook returned). */
async function answerTo(phone: string, after: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const sent = fake.accepted.filter((c) => c.body.to === phone);
    if (sent.length > after) return sent[after].body.message;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no answer by SMS");
}
const sentTo = (phone: string) => fake.accepted.filter((c) => c.body.to === phone).length;

/** The answer to one text from `phone`. */
async function answerToText(phone: string, body: string): Promise<string> {
  const before = sentTo(phone);
  expect(await text(phone, body)).toBe(200);
  return answerTo(phone, before);
}

/** A first text meets the personal-data notice; the person answers "1" (agrees). */
async function agree(phone: string): Promise<void> {
  expect(isConsentNotice(await answerToText(phone, "TT"))).toBe(true);
  await answerToText(phone, "1");
}

/** The answer to `body`, from someone who first agrees to the notice if it is what comes back, then texts `body` again. */
async function ask(phone: string, body: string): Promise<string> {
  const answer = await answerToText(phone, body);
  if (!isConsentNotice(answer)) return answer;
  await answerToText(phone, "1");
  return answerToText(phone, body);
}

describe("a person asks by SMS", () => {
  it("TT from a phone on record answers this month's payment, unaccented, in at most two parts", async () => {
    const before = sentTo(AN);
    expect(await text(AN, "TT")).toBe(200);
    const answer = await answerTo(AN, before);
    expect(answer).toContain("1.000.000 d");
    expect(answer).toMatch(/^[\x20-\x7e\n]+$/);
    expect(answer.length).toBeLessThanOrEqual(306);
  });

  it("answers a resent message (same id) once", async () => {
    const before = sentTo(AN);
    expect(await text(AN, "tien", "ATXid_resent")).toBe(200);
    await answerTo(AN, before);
    expect(await text(AN, "tien", "ATXid_resent")).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sentTo(AN)).toBe(before + 1);
  });

  it("a first text is answered with the personal-data notice, unaccented, in at most two parts; 1 agrees and records it", async () => {
    const notice = await answerToText(SON, "TT");
    expect(notice).toMatch(/^Thong bao ve du lieu ca nhan: /);
    // Whole, not cut to fit: the last sentence says why the payment status stays without consent.
    expect(notice).toMatch(/Trang thai chi tra luon xem duoc vi do la nghia vu phap ly\.\n1\.Dong y 2\.Khong dong y$/);
    expect(notice).not.toContain("..");
    expect(notice).not.toContain("(DEMO)");
    expect(notice).toMatch(/^[\x20-\x7e\n]+$/);
    expect(notice.length).toBeLessThanOrEqual(306);
    // "1" agrees, and the TT that met the notice is answered at once: no need to text it again.
    const status = await answerToText(SON, "1");
    expect(status).toMatch(/^Ky 12\/2026: /);
    expect(status).toContain("So tien: ");
    expect(await server.services.db.sql.all(`SELECT decision FROM Consent WHERE channel = 'sms' AND externalId = ?`, [SON])).toEqual([{ decision: "given" }]);
  });

  it("TT <CCCD> <ngay sinh> from an unknown phone answers after identification", async () => {
    const answer = await ask(STRANGER, "TT 020190003333 04/04/1990");
    // The status first (issue 13), then the amount.
    expect(answer).toMatch(/^Ky 12\/2026: Se chi tra ngay \d\d\/12\/2026[^\n]*\nSo tien: 500\.000 d/);
  });

  it("TT from a guardian of several people answers one line per person (name shortened, this period's status) in one SMS", async () => {
    expect(isConsentNotice(await answerToText(GUARDIAN, "TT"))).toBe(true);
    // Agreeing answers the TT the notice held back: everyone at once, not a list to choose from first.
    const answer = await answerToText(GUARDIAN, "1");
    expect(answer).toBe(
      "Ky 12/2026:\nH.T.P.T. Luong (DEMO): chua chi tra duoc: Tai khoan khong ton tai\nL.V.T.T. Hoang (DEMO): da nhan ngay 05/12/2026\n1.Xem chi tiet tung nguoi 0.Quay lai",
    );
    expect(countSmsSegments(answer)).toMatchObject({ encoding: "gsm7" });
    expect(countSmsSegments(answer).segments).toBeLessThanOrEqual(2);
    // Texted again (or days later, once the conversation has expired): the same answer at once.
    expect(await answerToText(GUARDIAN, "TT")).toBe(answer);
    await server.services.db.sql.run(`DELETE FROM ConversationSession WHERE channel = 'sms' AND externalId = ?`, [GUARDIAN]);
    expect(await answerToText(GUARDIAN, "tien")).toBe(answer);
  });

  it("a guardian from the demo data: both people's pay date, then one person's details by number", async () => {
    const overview = await ask(CUONG, "TT");
    expect(overview).toMatch(/^Ky 12\/2026:\nH\.T\. Binh \(DEMO\): se chi tra ngay 05\/12\/2026\nL\.M\. Duc \(DEMO\): se chi tra ngay 05\/12\/2026\n1\.Xem chi tiet tung nguoi/);
    const pick = await answerToText(CUONG, "1");
    expect(pick).toContain("1.Hoang Thi Binh (DEMO): cho chi tra 2.Luong Minh Duc (DEMO): cho chi tra");
    expect(await answerToText(CUONG, "2")).toMatch(/^AnSinh - Luong Minh Duc \(DEMO\)\n1\.Xem tien tro cap/);
    expect(await answerToText(CUONG, "1")).toMatch(/^Ky 12\/2026: Se chi tra ngay 05\/12\/2026, chuyen khoan ngan hang\.\nSo tien: 1\.250\.000 d/);
  });

  it("anything else answers a one-part help naming the keywords; a number still answers the screen", async () => {
    // A text days later (the conversation expired): no keyword, and nothing was asked.
    await server.services.db.sql.run(`DELETE FROM ConversationSession WHERE channel = 'sms' AND externalId = ?`, [AN]);
    const help = await answerToText(AN, "xin chao");
    expect(help).toBe("AnSinh: soan TT de xem tien tro cap (so chua dang ky: TT <so CCCD> <ngay sinh>), GAP CAN BO de gap can bo, TAT NHAC de tat nhac lich.");
    expect(countSmsSegments(help)).toEqual({ encoding: "gsm7", units: help.length, segments: 1 });
    // On a screen, a text none of its choices matches.
    expect(await answerToText(AN, "TT")).toContain("\n1.Cac ky truoc 2.Ve menu chinh");
    expect(await answerToText(AN, "cam on nhieu")).toBe(help);
    expect(await answerToText(AN, "7")).toBe(help);
    expect(await answerToText(AN, "2")).toMatch(/^AnSinh - Nguyen Van An \(DEMO\)\n1\.Xem tien tro cap/);
  });

  it("STOP turns reminders off, also as the very first text of a phone on record", async () => {
    const reminders = () => server.services.db.sql.get<{ remindersOn: number }>(`SELECT remindersOn FROM ChannelIdentity WHERE channel = 'sms' AND externalId = ?`, [HOA]);
    expect(await reminders()).toEqual({ remindersOn: 1 });
    const answer = await answerToText(HOA, "STOP");
    expect(await reminders()).toEqual({ remindersOn: 0 });
    expect(answer).toMatch(/^[\x20-\x7e\n]+$/);
    expect(countSmsSegments(answer).segments).toBeLessThanOrEqual(2);
  });

  it("TAT NHAC turns reminders off, BAT NHAC on again", async () => {
    const reminders = () => server.services.db.sql.get<{ remindersOn: number }>(`SELECT remindersOn FROM ChannelIdentity WHERE channel = 'sms' AND externalId = ?`, [AN]);
    let before = sentTo(AN);
    await text(AN, "TAT NHAC");
    await answerTo(AN, before);
    expect(await reminders()).toEqual({ remindersOn: 0 });
    before = sentTo(AN);
    await text(AN, "BAT NHAC");
    await answerTo(AN, before);
    expect(await reminders()).toEqual({ remindersOn: 1 });
  });

  it("GAP CAN BO opens an escalation whose operator reply goes back by SMS", async () => {
    let before = sentTo(AN);
    await text(AN, "GAP CAN BO");
    expect(await answerTo(AN, before)).toMatch(/\n1\./); // the flow asks to confirm, as on every channel
    before = sentTo(AN);
    await text(AN, "1");
    await answerTo(AN, before);
    const escalation = await server.services.db.sql.get<{ id: number; channel: string }>(`SELECT id, channel FROM Escalation WHERE channel = 'sms' ORDER BY id DESC LIMIT 1`);
    expect(escalation).toBeDefined();
    expect((await server.services.escalations.claim(escalation!.id, "lan")).ok).toBe(true);
    expect((await server.services.escalations.reply(escalation!.id, "lan", "Bác mang CCCD đến UBND xã sáng mai."))).toMatchObject({ ok: true });
    const sentBefore = sentTo(AN);
    await server.services.outbox.drain();
    expect(await answerTo(AN, sentBefore)).toBe("Can bo tra loi: Bac mang CCCD den UBND xa sang mai.");
  });

  it("an answer the provider did not take is sent again by the retry loop, from the answer stored", async () => {
    const before = sentTo(AN);
    fake.fail({ kind: "http", status: 500 }, 2); // the first try and its one retry (smsTestKit: maxRetries 1)
    expect(await text(AN, "TT", "ATXid_retried")).toBe(200);
    const row = () => server.services.db.sql.get<{ status: string; attempts: number }>(`SELECT status, attempts FROM InboundUpdate WHERE channel = 'sms' AND updateKey = 'ATXid_retried'`);
    for (let i = 0; i < 200 && (await row())?.attempts !== 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await row(), "the answer is stored, not sent").toMatchObject({ status: "answered", attempts: 1 });
    expect(sentTo(AN)).toBe(before);

    const sms = server.services.chatChannels.find((c) => c.channel === "sms")!;
    expect(await sms.retryPending(0)).toBe(1);
    expect(await answerTo(AN, before)).toContain("1.000.000 d");
    expect(await row()).toMatchObject({ status: "done" });
  });

  it("refuses forged and malformed calls with 4xx, never a 500", async () => {
    expect(await text(AN, "TT", "ATXid_forged", "not-the-secret-at-all")).toBe(403);
    const post = (body: string, type = "application/x-www-form-urlencoded") =>
      fetch(`${server.baseUrl}/sms/africastalking/${CALLBACK_SECRET}`, { method: "POST", headers: { "content-type": type }, body }).then((r) => r.status);
    expect(await post("text=TT")).toBe(400);
    expect(await post(new URLSearchParams({ from: "12345", text: "TT", id: "x1" }).toString())).toBe(400);
    expect(await post("{broken", "application/json")).toBe(400);
  });
});
