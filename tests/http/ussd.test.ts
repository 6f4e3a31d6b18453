import { africasTalking } from "../../src/channels/ussd/gateways/africasTalking.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { beneficiaryIdOf, countOf, rowOf, rowsOf } from "../helpers/rows.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const caller = (phone: string) => new UssdCaller(server.baseUrl, phone);
const query = () => server.services.db.query;

function expectUssdSafe(screen: string) {
  expect(screen.length).toBeLessThanOrEqual(160);
  expect(screen).toMatch(/^[\x20-\x7e\n]*$/);
}

describe("POST /ussd: a beneficiary identified by the network's phone number", () => {
  it("greets by name and shows this period's payment, with back pay, date, method and pay point", async () => {
    const phone = caller("+84912345678");
    const menu = await phone.freshDial();
    expect(menu.status).toBe(200);
    expect(menu.body.startsWith("CON ")).toBe(true);
    expect(menu.screen).toContain("Nguyen Van An (DEMO)");
    expect(menu.screen).toContain("1. Xem tien tro cap");
    expectUssdSafe(menu.screen);

    const status = await phone.press("1");
    expectUssdSafe(status.screen);
    expect(status.screen.split("\n")[0]).toBe("Ky 12/2026: Nhan tien mat ngay 05/12/2026 tai Nha van hoa thon Ban Chu.");
    expect(status.screen).toContain("So tien: 1.000.000 d (gom truy linh 250.000 d)");
    expect(status.screen).toContain("1. Cac ky truoc");

    const history = await phone.press("1");
    expect(history.screen).toContain("11/2026: 750.000 d - da nhan");
  });

  it("accepts words instead of numbers, without diacritics or case", async () => {
    const phone = caller("0912345678");
    await phone.freshDial();
    const status = await phone.press("XEM TIEN");
    expect(status.screen).toContain("Ky 12/2026");
    const home = await phone.press("menu");
    expect(home.screen).toContain("1. Xem tien tro cap");
  });

  it("answers nonsense with the same screen and a hint", async () => {
    const phone = caller("+84912345678");
    await phone.freshDial();
    const answer = await phone.press("42");
    expect(answer.screen).toContain("Chua hieu lua chon");
    expect(answer.screen).toContain("1. Xem tien tro cap");
    expectUssdSafe(answer.screen);
  });

  it("goes back with 0", async () => {
    const phone = caller("+84912345678");
    await phone.freshDial();
    await phone.press("1");
    const menu = await phone.press("0");
    expect(menu.screen).toContain("1. Xem tien tro cap");
  });
});

describe("POST /ussd: a smaller screen limit pages long screens", () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ config: { ussdScreenLimit: 80 } });
  });
  afterAll(async () => {
    await small.close();
  });

  it("shows 99 for more and 0 for the previous page, choices numbered across pages", async () => {
    const phone = new UssdCaller(small.baseUrl, "+84912345678");
    await phone.dial();
    const page1 = await phone.press("1");
    expect(page1.screen.length).toBeLessThanOrEqual(80);
    expect(page1.screen).toContain("Ky 12/2026");
    expect(page1.screen).toContain("99. Xem them");
    let page = page1;
    const seen = [page1.screen];
    while (page.screen.includes("99. Xem them")) {
      page = await phone.press("99");
      expect(page.screen.length).toBeLessThanOrEqual(80);
      seen.push(page.screen);
    }
    expect(seen.join("\n")).toContain("2. Ve menu chinh");
    const previous = await phone.press("0");
    expect(previous.screen).toBe(seen[seen.length - 2]);
    const menu = await phone.press("2");
    expect(menu.screen).toContain("AnSinh - Nguyen Van An (DEMO)");
  });
});

describe("POST /ussd: a guardian of two beneficiaries", () => {
  it("chooses the person first, then sees that person's payment and can switch", async () => {
    const phone = caller("+84987654321");
    const pick = await phone.freshDial();
    expect(pick.screen).toContain("Chon nguoi");
    expect(pick.screen).toContain("Hoang Thi Binh (DEMO)");
    expect(pick.screen).toContain("Luong Minh Duc (DEMO)");
    const menu = await phone.press("1");
    expect(menu.screen).toContain("Hoang Thi Binh (DEMO)");
    // The menu runs on to a second page since "9. Quyen du lieu ca nhan" joined it; its numbers hold across pages.
    const more = await phone.press("99");
    expect(more.screen).toContain("Chon nguoi khac");
    expect(more.screen).toContain("9. Quyen du lieu ca nhan");
    const status = await phone.press("1");
    expect(status.screen).toContain("1.250.000 d");
    expect(status.screen).toContain("***6789");
    expect(status.screen).not.toContain("4200123456789");
    await phone.press("00");
    const again = await phone.press("7");
    expect(again.screen).toContain("Chon nguoi");
    const other = await phone.press("2");
    expect(other.screen).toContain("Luong Minh Duc (DEMO)");
  });
});

describe("POST /ussd: identification by citizen ID and date of birth", () => {
  it("identifies an unknown phone with the beneficiary's ID and date of birth, and remembers it", async () => {
    const phone = caller("+84901000001");
    const ask = await phone.freshDial();
    expect(ask.screen).toContain("Nhap so CCCD");
    const dob = await phone.press("020190003333");
    expect(dob.screen).toContain("ngay sinh");
    const menu = await phone.press("04041990");
    expect(menu.screen).toContain("Dinh Thi Mai (DEMO)");
    const next = await phone.freshDial();
    expect(next.screen).toContain("Dinh Thi Mai (DEMO)");
    const identity = await rowOf(query(), "ChannelIdentity", { channel: "ussd", externalId: "+84901000001" });
    expect(identity?.verification).toBe("citizen_id_dob");
  });

  it("rejects a malformed ID with a hint and asks again", async () => {
    const phone = caller("+84901000002");
    await phone.freshDial();
    const answer = await phone.press("12345");
    expect(answer.screen).toContain("12 chu so");
    expect(answer.screen).toContain("Nhap so CCCD");
  });

  it("locks after five wrong attempts and says so, also on the next dial", async () => {
    const phone = caller("+84901000003");
    await phone.freshDial();
    let answer;
    for (let attempt = 1; attempt <= 4; attempt++) {
      await phone.press("020190003333");
      answer = await phone.press("01/01/1991");
      expect(answer.screen).toContain(`Con ${5 - attempt} lan thu`);
    }
    await phone.press("020190003333");
    answer = await phone.press("01/01/1991");
    expect(answer.end).toBe(true);
    expect(answer.screen).toContain("sai qua nhieu lan");
    const next = await phone.freshDial();
    expect(next.end).toBe(true);
    expect(next.screen).toContain("sai qua nhieu lan");
    // Even the right answer does not get through while locked.
    const identity = await rowOf(query(), "ChannelIdentity", { channel: "ussd", externalId: "+84901000003" });
    expect(identity?.lockedUntil).not.toBeNull();
    expect(identity?.beneficiaryId).toBeNull();
  });
});

describe("POST /ussd: payment method change request", () => {
  it("records a pending bank request with the account sealed and masked, and says when it takes effect", async () => {
    const phone = caller("+84388999000");
    await phone.freshDial();
    const method = await phone.press("2");
    expect(method.screen).toContain("tien mat tai nha");
    await phone.press("1");
    await phone.press("1");
    const confirm = await phone.press("0123456789012");
    expect(confirm.screen).toContain("Agribank");
    expect(confirm.screen).toContain("***9012");
    expect(confirm.screen).not.toContain("0123456789012");
    const done = await phone.press("1");
    expect(done.screen).toMatch(/Da ghi nhan yeu cau so YC[A-Z0-9]{8}/);
    expect(done.screen).toContain("12/2026".replace("12/2026", "01/2027"));
    const requests = await rowsOf(query(), "MethodChangeRequest", { beneficiaryId: await beneficiaryIdOf(query(), "DEMO-0005") });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ requestedMethod: "bank", accountProvider: "Agribank", accountLast4: "9012", status: "pending", channel: "ussd", verification: "phone" });
    expect(requests[0].accountNumberSealed).not.toContain("0123456789012");
    const audit = await rowOf(query(), "AuditLog", { action: "method_change.requested" });
    expect(audit?.after).not.toContain("0123456789012");
    const log = await rowsOf(query(), "MessageLog", { externalId: "+84388999000" });
    expect(log.map((m) => m.text).join("\n")).not.toContain("0123456789012");

    // The method screen now shows the pending request.
    await phone.press("00");
    const again = await phone.press("2");
    expect(again.screen).toContain("Dang cho xa duyet: chuyen khoan ngan hang");
  });

  it("tells a person who asks for the method they already have that nothing changes", async () => {
    const phone = caller("+84912345678");
    await phone.freshDial();
    await phone.press("2");
    await phone.press("3");
    const answer = await phone.press("1");
    expect(answer.screen).toContain("dang nhan theo cach nay roi");
  });
});

describe("POST /ussd: reminders, language, talk to a person", () => {
  it("switches reminders off and on, stored for this phone", async () => {
    const phone = caller("+84978111222");
    await phone.freshDial();
    const state = await phone.press("3");
    expect(state.screen).toContain("dang BAT");
    const off = await phone.press("1");
    expect(off.screen).toContain("Da tat");
    const identity = () => rowOf(query(), "ChannelIdentity", { channel: "ussd", externalId: "+84978111222" });
    expect((await identity())?.remindersOn).toBe(0);
    await phone.press("00");
    await phone.press("3");
    await phone.press("1");
    expect((await identity())?.remindersOn).toBe(1);
  });

  it("remembers English across dials", async () => {
    const phone = caller("+84978111222");
    await phone.freshDial();
    await phone.press("5");
    const english = await phone.press("2");
    expect(english.screen).toContain("1. My payment");
    const next = await phone.freshDial();
    expect(next.screen).toContain("1. My payment");
    await phone.press("language");
    const vietnamese = await phone.press("1");
    expect(vietnamese.screen).toContain("1. Xem tien tro cap");
  });

  it("records an escalation with the conversation so far, once", async () => {
    const phone = caller("+84912345678");
    await phone.freshDial();
    await phone.press("1");
    const confirm = await phone.press("gap can bo");
    expect(confirm.screen).toContain("Gui yeu cau gap can bo");
    const done = await phone.press("1");
    expect(done.end).toBe(true);
    expect(done.screen).toContain("goi lai so may nay");
    const escalations = await rowsOf(query(), "Escalation", { externalId: "+84912345678" });
    expect(escalations).toHaveLength(1);
    const transcript = JSON.parse(escalations[0].transcript) as { direction: string; text: string }[];
    expect(transcript.some((m) => m.text.includes("Kỳ 12/2026"))).toBe(true);
    await phone.freshDial();
    await phone.press("6");
    await phone.press("1");
    expect(await countOf(query(), "Escalation", { externalId: "+84912345678" })).toBe(1);
  });
});

describe("POST /ussd: gateway behaviour", () => {
  it("answers a repeated request with the same screen and repeats no effect", async () => {
    const phone = caller("+84987654321");
    await phone.freshDial();
    await phone.pressAll("2", "2", "1", "3", "123456789");
    const first = await phone.press("1");
    const repeated = await phone.repeat();
    expect(repeated.body).toBe(first.body);
    const requests = await countOf(query(), "MethodChangeRequest", { beneficiaryId: await beneficiaryIdOf(query(), "DEMO-0003") });
    expect(requests).toBe(1);
  });

  it("answers a request and its repeat sent at the same moment alike, with one effect", async () => {
    const phone = caller("+84987654321");
    await phone.freshDial();
    await phone.pressAll("2", "2", "1", "3", "987654321");
    const before = await countOf(query(), "MethodChangeRequest", { beneficiaryId: await beneficiaryIdOf(query(), "DEMO-0003") });
    // Both reach the service in the same turn of its event loop, before either is stored.
    const body = { sessionId: phone.sessionId, serviceCode: "*384*123#", phoneNumber: phone.phone, text: "2*2*1*3*987654321*1" };
    const [first, repeated] = await Promise.all([
      server.services.ussd.handleGatewayBody(africasTalking, body),
      server.services.ussd.handleGatewayBody(africasTalking, { ...body }),
    ]);
    expect(first.status).toBe(200);
    expect(first.body).toContain("YC");
    expect(repeated.body).toBe(first.body);
    expect(await countOf(query(), "MethodChangeRequest", { beneficiaryId: await beneficiaryIdOf(query(), "DEMO-0003") })).toBe(before + 1);
  });

  it("offers to continue a dropped session on the next dial", async () => {
    const phone = caller("+84912345678");
    await phone.freshDial();
    await phone.pressAll("2", "1");
    const offer = await phone.dial();
    expect(offer.screen).toContain("Tiep tuc?");
    const resumed = await phone.press("1");
    expect(resumed.screen).toContain("Chon ngan hang");
    const offerAgain = await phone.dial();
    expect(offerAgain.screen).toContain("Tiep tuc?");
    const restarted = await phone.press("2");
    expect(restarted.screen).toContain("1. Xem tien tro cap");
  });

  it("accepts a JSON body too", async () => {
    const response = await fetch(`${server.baseUrl}/ussd`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionId: "json-1", serviceCode: "*1#", phoneNumber: "+84912345678", text: "" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(await response.text()).toMatch(/^CON AnSinh/);
  });

  it.each([
    ["missing sessionId", { phoneNumber: "+84912345678", text: "" }, /sessionId is required/],
    ["missing phoneNumber", { sessionId: "x", text: "" }, /phoneNumber is required/],
    ["missing text", { sessionId: "x", phoneNumber: "+84912345678" }, /text is required/],
    ["a number where a string belongs", { sessionId: 5, phoneNumber: "+84912345678", text: "" }, /sessionId must be a string/],
    ["an array", [1, 2], /object body/],
    ["a phone that is not a number", { sessionId: "x", phoneNumber: "abc", text: "" }, /phoneNumber/],
    ["control characters", { sessionId: "x", phoneNumber: "+84912345678", text: "1\u0000" }, /control/],
  ])("rejects %s with a 400 and a reason", async (_name, body, reason) => {
    const response = await fetch(`${server.baseUrl}/ussd`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(reason);
  });

  it("rejects broken JSON, oversized bodies and other content types with a 4xx", async () => {
    const broken = await fetch(`${server.baseUrl}/ussd`, { method: "POST", headers: { "content-type": "application/json" }, body: "{sessionId:" });
    expect(broken.status).toBe(400);
    const huge = await fetch(`${server.baseUrl}/ussd`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `sessionId=x&phoneNumber=%2B84912345678&text=${"1".repeat(100_000)}`,
    });
    expect(huge.status).toBe(413);
    const xml = await fetch(`${server.baseUrl}/ussd`, { method: "POST", headers: { "content-type": "text/xml" }, body: "<a/>" });
    expect(xml.status).toBe(415);
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
  });

  it("keeps every screen of a long walk within 160 plain characters", async () => {
    const phone = caller("+84987654321");
    const screens = [await phone.dial()];
    for (const input of ["1", "1", "99", "1", "00", "2", "2", "1", "0", "0", "3", "00", "4", "1", "00", "4", "3", "00", "4", "4", "00", "4", "5", "0", "0", "5", "1", "6", "0", "help"]) screens.push(await phone.press(input));
    for (const answer of screens) {
      expect(answer.status).toBe(200);
      expectUssdSafe(answer.screen);
    }
  });
});

describe("POST /ussd/hubtel: another gateway format on the same flows", () => {
  const hubtel = (body: Record<string, unknown>) =>
    fetch(`${server.baseUrl}/ussd/hubtel`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("runs a session where each request carries only the latest input", async () => {
    const base = { SessionId: "hub-1", Mobile: "84978111222", ServiceCode: "714", Operator: "viettel" };
    const first = await hubtel({ ...base, Type: "Initiation", Message: "*714#", Sequence: 1 });
    expect(first.headers.get("content-type")).toContain("application/json");
    const menu = (await first.json()) as { Message: string; Type: string };
    expect(menu.Type).toBe("Response");
    expect(menu.Message).toContain("Vi Thi Hoa (DEMO)");
    const status = (await (await hubtel({ ...base, Type: "Response", Message: "1", Sequence: 2 })).json()) as { Message: string };
    expect(status.Message).toContain("500.000 d");
    const repeat = (await (await hubtel({ ...base, Type: "Response", Message: "1", Sequence: 2 })).json()) as { Message: string };
    expect(repeat.Message).toBe(status.Message);
    const release = await hubtel({ ...base, Type: "Release", Message: "", Sequence: 3 });
    expect(release.status).toBe(200);
  });

  it("rejects a malformed Hubtel request and an unknown gateway", async () => {
    const bad = await hubtel({ Type: "Response", SessionId: "x" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Mobile is required");
    const unknown = await fetch(`${server.baseUrl}/ussd/nope`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unknown.status).toBe(404);
  });
});

describe("sessions expire after inactivity", () => {
  it("starts afresh after SESSION_IDLE_MINUTES, and purges expired sessions", async () => {
    let now = new Date("2026-11-29T08:00:00Z");
    const timed = await startTestServer({ clock: () => now, config: { sessionIdleMinutes: 5 } });
    try {
      const phone = new UssdCaller(timed.baseUrl, "+84912345678");
      await phone.dial();
      await phone.pressAll("2", "1");
      now = new Date("2026-11-29T08:04:00Z");
      expect((await phone.dial()).screen).toContain("Tiep tuc?");
      now = new Date("2026-11-29T08:20:00Z");
      expect((await phone.dial()).screen).toContain("1. Xem tien tro cap");
      now = new Date("2026-11-29T09:00:00Z");
      expect(await timed.services.sessions.purgeExpired(now)).toBe(1);
      expect(await countOf(timed.services.db.query, "ConversationSession")).toBe(0);
    } finally {
      await timed.close();
    }
  });
});
