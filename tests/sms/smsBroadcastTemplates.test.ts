import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, signedIn, sqlValue, type ConsoleClient } from "../helpers/consoleClient.ts";
import { FakeEsmsServer } from "../helpers/fakeEsmsServer.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { esmsConfig } from "./smsTestKit.ts";

// Brandname SMS (eSMS) carries registered templates only, and a broadcast is free text. Bắc Sơn
// (demo-staff) has two people reached by SMS: Nguyễn Văn An (DEMO) and Lương Văn Cường (DEMO),
// guardian of two. A broadcast no template matches reaches them as a USSD notice at their next
// dial (as people without a push channel always got it) instead of SMS rows that can only fail.
const AN = "+84912345678";
const CUONG = "+84987654321";
const FREE_TEXT = "Họp thôn lúc 7h30 sáng thứ Bảy tại nhà văn hóa.";
/** Worded as a registered message is ("Cán bộ trả lời: …", an operator's reply). */
const REGISTERED = "Cán bộ trả lời: họp thôn lúc 7h30 sáng thứ Bảy tại nhà văn hóa.";

let server: TestServer;
let fake: FakeEsmsServer;
let staff: ConsoleClient;

beforeAll(async () => {
  fake = await FakeEsmsServer.start();
  server = await startTestServer({
    clock: () => new Date("2026-12-10T03:00:00Z"),
    config: { sms: esmsConfig(fake), outbox: { quietHours: "00:00-00:00", workers: 1, leaseSeconds: 60, maxAttempts: 8, pollMs: 1000 } },
  });
  await server.services.planReminders(); // creates the SMS identities
  staff = await signedIn(server.baseUrl, DEMO.staffBacSon);
  await staff.get("/console/broadcasts/new");
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

const rowsOf = (broadcastId: number) =>
  server.services.db.sql.all<{ channel: string; externalId: string; status: string }>(
    `SELECT channel, externalId, status FROM OutboxMessage WHERE broadcastId = ? ORDER BY externalId, channel`,
    [broadcastId],
  );

/** Sends a Vietnamese-only broadcast to the staff member's communes now, through the console; its id. */
async function sendNow(textVi: string): Promise<number> {
  const sent = await staff.post("/console/broadcasts", { textVi, textEn: "", action: "send_now" });
  expect(sent.status).toBe(303);
  return Number(/\/console\/broadcasts\/(\d+)/.exec(sent.location!)![1]);
}

const smsOf = (text: string) => fake.calls.filter((c) => String(c.body.Content).startsWith(text));

describe("broadcasts with eSMS (registered templates only)", () => {
  it("the preview says a text no registered template matches will not go by SMS, for how many people, and where they see it", async () => {
    const free = await staff.post("/console/broadcasts/preview", { textVi: FREE_TEXT, textEn: "" });
    expect(free.status).toBe(200);
    expect(free.text).toContain('data-reach="sms">2<');
    expect(free.text).toContain('data-sms-unregistered="2"');
    expect(free.text).toContain("không khớp mẫu tin nào đã đăng ký với eSMS");
    expect(free.text).toContain("2 người lẽ ra nhận bằng SMS sẽ thấy thông báo khi gọi mã USSD lần tới");
    expect(free.text).not.toContain("data-sms-cost");

    const registered = await staff.post("/console/broadcasts/preview", { textVi: REGISTERED, textEn: "" });
    expect(registered.text).not.toContain("data-sms-unregistered");
    expect(registered.text).toContain('data-sms-segments="1" data-sms-cost="1600"'); // 2 people × 1 part × 800 đ
  });

  it("queues a free-text broadcast for SMS-only people as USSD notices, never as SMS that fail, and shows it at the next dial", async () => {
    const id = await sendNow(FREE_TEXT);
    expect(await rowsOf(id)).toEqual([
      { channel: "ussd", externalId: AN, status: "pending" },
      { channel: "ussd", externalId: CUONG, status: "pending" },
    ]);
    await server.services.outbox.drain();
    expect(smsOf("Hop thon")).toHaveLength(0);
    expect(Number(await sqlValue(server.services.db.sql, `SELECT COUNT(*) FROM OutboxMessage WHERE status = 'failed'`))).toBe(0);

    // An dials: the notice heads the first screen (here the personal-data notice of a first dial).
    const an = new UssdCaller(server.baseUrl, AN);
    an.acceptsNotice = false;
    expect((await an.dial()).screen).toMatch(/^Tin nhan moi: Hop thon luc 7h30 sang thu Bay tai nha van hoa\./);
    expect(await rowsOf(id)).toEqual([
      { channel: "ussd", externalId: AN, status: "delivered" },
      { channel: "ussd", externalId: CUONG, status: "pending" },
    ]);
    await an.press("1"); // agrees: An is now known on USSD too
  });

  it("a text that matches a registered template goes by SMS as before", async () => {
    const id = await sendNow(REGISTERED);
    await server.services.outbox.drain();
    const rows = await rowsOf(id);
    expect(rows.filter((r) => r.channel === "sms")).toEqual([
      { channel: "sms", externalId: AN, status: "sent" },
      { channel: "sms", externalId: CUONG, status: "sent" },
    ]);
    expect(smsOf("Can bo tra loi: hop thon").map((c) => c.body.Phone).sort()).toEqual(["0912345678", "0987654321"]);
  });

  it("a phone that already gets broadcasts on USSD (it has dialled) gets one notice there, not a second", async () => {
    const id = await sendNow("Tiêm phòng cho trẻ em ngày 15/12 tại trạm y tế xã.");
    expect(await rowsOf(id)).toEqual([
      { channel: "ussd", externalId: AN, status: "pending" },
      { channel: "ussd", externalId: CUONG, status: "pending" },
    ]);
  });

  it("TAT NHAC by SMS also drops the broadcasts waiting for that phone's next dial", async () => {
    const waiting = `SELECT COUNT(*) FROM OutboxMessage WHERE externalId = '${CUONG}' AND channel = 'ussd' AND status = 'pending'`;
    expect(Number(await sqlValue(server.services.db.sql, waiting))).toBe(2);
    // As his text is handled (the SMS channel's conversation host); a stop works before the personal-data notice too.
    const say = (text: string) =>
      server.services.conversations.handle({ conversation: { channel: "sms", userId: CUONG, phone: CUONG }, turn: { kind: "input", text } }, { render: (reply) => ({ output: reply, pages: 1 }) });
    await say("TAT NHAC");
    expect(Number(await sqlValue(server.services.db.sql, `SELECT remindersOn FROM ChannelIdentity WHERE channel = 'sms' AND externalId = '${CUONG}'`))).toBe(0);
    expect(Number(await sqlValue(server.services.db.sql, waiting))).toBe(0);
  });
});
