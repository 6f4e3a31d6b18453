import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPaymentStatusPeople, STATUS_PEOPLE } from "../helpers/paymentStatusPeople.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { isConsentNotice } from "../helpers/consentNotice.ts";

// A person may dial the service code with digits after it (`*384*123*1#`): the gateway's first
// request of the new session then already carries them. They are keys pressed from the first
// screen, whatever screen the person's previous session was left on.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await importPaymentStatusPeople(server.services);
});
afterAll(async () => {
  await server.close();
});

const caller = (phone: string) => new UssdCaller(server.baseUrl, phone);
const sql = () => server.services.db.sql;

/** This month's payment screen of the person of issue 13 (December failed, with back pay). */
const THIS_MONTH = "Ky 12/2026";

describe("Africa's Talking: a new session whose first request carries keys", () => {
  it("from a first-time caller stops at the personal-data notice: a dialled key does not answer it", async () => {
    const phone = caller("+84388000999");
    phone.acceptsNotice = false;
    const consents = async () => sql().all(`SELECT decision FROM Consent WHERE channel = 'ussd' AND externalId = ?`, [phone.phone]);
    const notice = await phone.dialWith("1");
    expect(notice.end).toBe(false);
    expect(isConsentNotice(notice.screen)).toBe(true);
    expect(notice.screen).not.toContain("Chua hieu lua chon"); // not taken as a wrong answer either
    expect(await consents()).toEqual([]);
    // Pressed on the notice itself, 1 agrees.
    await phone.press("1");
    expect(await consents()).toEqual([{ decision: "given" }]);
  });

  it("runs them from the main menu, not from the guidance menu the last session was on", async () => {
    const phone = caller(STATUS_PEOPLE.failed);
    await phone.freshDial();
    const guidance = await phone.press("4");
    expect(guidance.screen).toContain("1. Mo tai khoan nhan tien");

    const status = await phone.dialWith("1");
    expect(status.end).toBe(false);
    expect(status.screen).toContain(THIS_MONTH);
    expect(status.screen).not.toContain("Mo tai khoan");

    // The session goes on from there: its next request holds the whole history ("1*1").
    const earlier = await phone.press("1");
    expect(earlier.screen).toContain("Cac ky gan day");
  });

  it("shows this month's payment, not earlier periods, when the last session ended on the payment screen", async () => {
    const phone = caller(STATUS_PEOPLE.failed);
    await phone.freshDial();
    expect((await phone.press("1")).screen).toContain(THIS_MONTH);

    const again = await phone.dialWith("1");
    expect(again.screen).toContain(THIS_MONTH);
    expect(again.screen).not.toContain("Chua co ky chi tra nao truoc do");
    expect(again.screen).not.toContain("Cac ky gan day");
  });

  it("runs several keys in order (`*384*123*1*1#`: this month's payment, then earlier periods)", async () => {
    const phone = caller(STATUS_PEOPLE.failed);
    await phone.freshDial();
    await phone.press("4");
    const history = await phone.dialWith("1*1");
    expect(history.screen).toContain("Cac ky gan day");
    expect(history.screen).toContain("11/2026: 1.500.000 d - da nhan");
  });

  it("stops at a key the screen does not take, and says so on that screen", async () => {
    const phone = caller(STATUS_PEOPLE.scheduledHome);
    await phone.freshDial();
    await phone.press("4");
    // 8 is on no main menu (9 is the personal-data menu, whose 1 would open a request).
    const answer = await phone.dialWith("8*1");
    expect(answer.screen).toContain("Chua hieu lua chon");
    expect(answer.screen).toContain("1. Xem tien tro cap");
  });

  it("answers a repeat of the first request with the same screen and repeats no effect", async () => {
    const phone = caller(STATUS_PEOPLE.scheduledCash);
    await phone.freshDial();
    await phone.press("4");
    const count = async () =>
      (await sql().get<{ n: number }>(`SELECT COUNT(*) AS n FROM Escalation WHERE channel = 'ussd' AND externalId = ?`, [phone.phone]))!.n;
    const before = await count();
    // *384*123*6*1#: talk to a person, confirm.
    const done = await phone.dialWith("6*1");
    expect(done.end).toBe(true);
    expect(done.screen).toContain("goi lai so may nay");
    const repeated = await phone.repeat();
    expect(repeated.body).toBe(done.body);
    expect(Number(await count())).toBe(Number(before) + 1);
  });

  it("shows waiting messages first, and the keys still run", async () => {
    const phone = caller(STATUS_PEOPLE.paid);
    await phone.freshDial();
    await phone.press("4");
    const now = new Date().toISOString();
    await sql().run(
      `INSERT INTO OutboxMessage (dedupeKey, channel, externalId, kind, locale, text, dueAt, status, attempts, createdAt, updatedAt)
       VALUES ('notice:new-dial-test', 'ussd', ?, 'notice', 'vi', 'Thong bao cua xa: hop thon ngay 10/12.', ?, 'pending', 0, ?, ?)`,
      [phone.phone, now, now, now],
    );
    const first = await phone.dialWith("1");
    const all = [first.screen];
    for (let answer = first; answer.screen.includes("99. Xem them"); ) all.push((answer = await phone.press("99")).screen);
    expect(first.screen.startsWith("Tin nhan moi: Thong bao cua xa: hop thon ngay 10/12.")).toBe(true);
    expect(all.join("\n")).toContain(THIS_MONTH);
    expect(all.join("\n")).not.toContain("Mo tai khoan");
    const shown = await sql().get<{ status: string }>(`SELECT status FROM OutboxMessage WHERE dedupeKey = 'notice:new-dial-test'`);
    expect(shown?.status).toBe("delivered");
  });
});

describe("a new dial with keys while an operator holds the person's escalation", () => {
  it("shows the operator's reply and takes the dial's next words for the operator, also when the conversation had expired", async () => {
    const phone = caller(STATUS_PEOPLE.noneThisMonth);
    await phone.freshDial();
    expect((await phone.pressAll("6", "1")).end).toBe(true);
    const { id } = (await sql().get<{ id: number }>(`SELECT id FROM Escalation WHERE channel = 'ussd' AND externalId = ?`, [phone.phone]))!;
    const desk = server.services.escalations;
    expect((await desk.claim(id, "lan")).ok).toBe(true);
    expect((await desk.reply(id, "lan", "Bac co the goi lai vao sang mai.")).ok).toBe(true);
    // Long enough without a call that the stored conversation is gone.
    await sql().run(`DELETE FROM ConversationSession WHERE channel = 'ussd' AND externalId = ?`, [phone.phone]);

    const dial = await phone.dialWith("1");
    expect(dial.screen).toContain("Can bo tra loi: Bac co the goi lai vao sang mai.");
    expect(dial.screen).toContain("Nhap tin nhan gui can bo");
    const words = await phone.press("Cam on can bo");
    expect(words.screen).toContain("Can bo dang tra loi ban");
    expect((await desk.detail(id))!.conversation.filter((e) => e.toOperator).map((e) => e.text)).toEqual(["Cam on can bo"]);
  });
});

describe("a phone whose previous session was dropped in a sub-menu", () => {
  /** Leaves the person in the bank account question of a method change: progress that a plain dial offers to continue. */
  async function dropInSubMenu(phone: UssdCaller) {
    await phone.freshDial();
    const bank = await phone.pressAll("2", "1");
    expect(bank.screen).toContain("Chon ngan hang");
  }

  it("with empty text: offers to continue", async () => {
    const phone = caller(STATUS_PEOPLE.scheduledBank);
    await dropInSubMenu(phone);
    const offer = await phone.dial();
    expect(offer.screen).toContain("Tiep tuc?");
    expect((await phone.press("1")).screen).toContain("Chon ngan hang");
  });

  it("with keys: runs them from the first screen", async () => {
    const phone = caller(STATUS_PEOPLE.scheduledBank);
    await dropInSubMenu(phone);
    const status = await phone.dialWith("1");
    expect(status.screen).not.toContain("Tiep tuc?");
    expect(status.screen).toContain("Ky 12/2026");
    expect(status.screen).toContain("25/12/2026");
  });
});

describe("Hubtel: the Initiation message holds the dialled string", () => {
  const hubtel = async (body: Record<string, unknown>) => {
    const response = await fetch(`${server.baseUrl}/ussd/hubtel`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return (await response.json()) as { Message: string; Type: string };
  };
  const mobile = STATUS_PEOPLE.returned.slice(1);
  /** A plain dial that starts over if offered to continue (earlier tests may have left the phone mid-way). */
  /** A plain dial that starts over if offered to continue, and agrees to the personal-data notice at a first contact. */
  const freshInitiation = async (base: Record<string, unknown>) => {
    const first = await hubtel({ ...base, Type: "Initiation", Message: "*384*123#", Sequence: 1 });
    if (isConsentNotice(first.Message)) return hubtel({ ...base, Type: "Response", Message: "1", Sequence: 2 });
    return first.Message.includes("Tiep tuc?") ? hubtel({ ...base, Type: "Response", Message: "2", Sequence: 2 }) : first;
  };

  it("runs what follows the service code from the first screen", async () => {
    const old = { SessionId: "hub-nd-1", Mobile: mobile, ServiceCode: "*384*123#", Operator: "viettel" };
    await freshInitiation(old);
    expect((await hubtel({ ...old, Type: "Response", Message: "4", Sequence: 3 })).Message).toContain("Mo tai khoan nhan tien");

    const fresh = { SessionId: "hub-nd-2", Mobile: mobile, ServiceCode: "*384*123#", Operator: "viettel" };
    const status = await hubtel({ ...fresh, Type: "Initiation", Message: "*384*123*1#", Sequence: 1 });
    expect(status.Type).toBe("Response");
    expect(status.Message).toContain(THIS_MONTH);
    const earlier = await hubtel({ ...fresh, Type: "Response", Message: "1", Sequence: 2 });
    expect(earlier.Message).toContain("Cac ky gan day");
  });

  it("takes a service code written without * and # too, and a plain dial still offers to continue", async () => {
    const base = { Mobile: mobile, ServiceCode: "384*123", Operator: "viettel" };
    await freshInitiation({ ...base, SessionId: "hub-nd-3" });
    const bank = await hubtel({ ...base, SessionId: "hub-nd-3", Type: "Response", Message: "2", Sequence: 3 });
    expect(bank.Message).toContain("Doi sang");
    expect((await hubtel({ ...base, SessionId: "hub-nd-3", Type: "Response", Message: "1", Sequence: 4 })).Message).toContain("Chon ngan hang");

    const offer = await hubtel({ ...base, SessionId: "hub-nd-4", Type: "Initiation", Message: "*384*123#", Sequence: 1 });
    expect(offer.Message).toContain("Tiep tuc?");
    const history = await hubtel({ ...base, SessionId: "hub-nd-5", Type: "Initiation", Message: "*384*123*1*1#", Sequence: 1 });
    expect(history.Message).toContain("Cac ky gan day");
  });
});
