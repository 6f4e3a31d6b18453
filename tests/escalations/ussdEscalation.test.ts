import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";

// USSD cannot push: an operator's reply waits for the caller's next dial.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const desk = () => server.services.escalations;
const sql = () => server.services.db.sql;

async function askForAPerson(phone: UssdCaller): Promise<number> {
  await phone.freshDial();
  await phone.press("6");
  const done = await phone.press("1");
  expect(done.end).toBe(true);
  const row = (await sql().get(`SELECT id FROM Escalation WHERE channel = 'ussd' AND externalId = ? ORDER BY id DESC`, [phone.phone])) as { id: number };
  return row.id;
}

describe("an escalation from USSD", () => {
  it("shows the operator's reply at the next dial, then takes the caller's answer for the operator", async () => {
    const phone = new UssdCaller(server.baseUrl, "+84912345678");
    const id = await askForAPerson(phone);
    expect((await desk().unassigned()).map((e) => e.id)).toContain(id);
    expect((await desk().claim(id, "lan")).ok).toBe(true);
    expect((await desk().reply(id, "lan", "Chào bác An, tiền tháng 12 bác nhận ngày 05/12 tại nhà văn hóa.")).ok).toBe(true);
    // Nothing can be pushed on USSD: the outbox sender leaves the reply for the dial.
    await server.services.outbox.drain();
    expect((await desk().detail(id))!.conversation.find((e) => e.kind === "operator_reply")!.channelDelivery).toBe("pending");

    const dial = await phone.dial();
    expect(dial.end).toBe(false);
    expect(dial.screen).toContain("Tin nhan moi:");
    expect(dial.screen).toContain("Can bo tra loi: Chao bac An, tien thang 12 bac nhan ngay 05/12 tai nha van hoa.");
    expect(dial.screen).toContain("Nhap tin nhan gui can bo");
    expect(dial.screen).toMatch(/^[\x20-\x7e\n]*$/);
    expect((await desk().detail(id))!.conversation.find((e) => e.kind === "operator_reply")!.channelDelivery).toBe("shown_at_next_dial");

    // What the caller types goes to the operator, not to a menu.
    const ack = await phone.press("Cam on can bo");
    expect(ack.end).toBe(false);
    expect(ack.screen).toContain("Can bo dang tra loi ban");
    expect(ack.screen).not.toContain("Chua hieu lua chon");
    const thanks = await phone.press("1");
    expect(thanks.screen).toContain("Can bo dang tra loi ban");
    expect((await desk().detail(id))!.conversation.filter((e) => e.toOperator).map((e) => e.text)).toEqual(["Cam on can bo", "1"]);

    // The shown reply is not shown again on the dial after.
    const again = await phone.dial();
    expect(again.screen).not.toContain("Can bo tra loi:");
    expect(again.screen).toContain("Nhap tin nhan gui can bo");

    // "00" returns the caller to the bot's menu, and the operator is told.
    const menu = await phone.press("00");
    expect(menu.screen).toContain("1. Xem tien tro cap");
    expect((await desk().detail(id))!.conversation.filter((e) => e.kind === "system").map((e) => e.text)).toEqual(["claimed", "person_returned_to_bot:home"]);
    const status = await phone.press("1");
    expect(status.screen).toContain("Ky 12/2026");
  });

  it("pages a long reply with 99, which is not taken as words for the operator", async () => {
    const phone = new UssdCaller(server.baseUrl, "+84388999000");
    const id = await askForAPerson(phone);
    await desk().claim(id, "lan");
    const long = "Bac Son than men, tien tro cap thang 12 cua bac se duoc mang den nha vao ngay 05/12. Neu hom do bac khong co nha, hay nho nguoi than nhan giup va mang theo giay to. Neu can ho tro them, bac cu nhan tin lai cho can bo xa.";
    await desk().reply(id, "lan", long);
    const first = await phone.dial();
    expect(first.screen).toContain("99. Xem them");
    const pages = [first.screen];
    while (pages.at(-1)!.includes("99. Xem them")) pages.push((await phone.press("99")).screen);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(160);
    expect(pages.join(" ").replace(/\s+/g, " ")).toContain("nho nguoi than nhan giup");
    expect(pages.at(-1)).toContain("Nhap tin nhan gui can bo");
    expect((await desk().detail(id))!.conversation.filter((e) => e.toOperator)).toHaveLength(0);
  });

  it("answers a gateway's repeat of a held turn with the same screen and records the words once", async () => {
    const phone = new UssdCaller(server.baseUrl, "+84978111222");
    const id = await askForAPerson(phone);
    await desk().claim(id, "minh");
    await phone.dial();
    const first = await phone.press("Vi cua toi bi khoa");
    const repeated = await phone.repeat();
    expect(repeated.screen).toBe(first.screen);
    expect((await desk().detail(id))!.conversation.filter((e) => e.toOperator)).toHaveLength(1);
  });
});
