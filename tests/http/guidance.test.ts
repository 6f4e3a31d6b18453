import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { countOf, rowOf } from "../helpers/rows.ts";

// Demo data: Bắc Sơn has commune information (DEMO-0001..0003), Tràng Định has none (DEMO-0004..0006).
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Dials, optionally switches to English, and opens the guidance menu. */
async function guidance(phone: string, locale: "vi" | "en" = "vi") {
  const caller = new UssdCaller(server.baseUrl, phone);
  await caller.freshDial();
  if (locale === "en") await caller.pressAll("5", "2");
  else await caller.pressAll("5", "1");
  const menu = await caller.press("4");
  return { caller, menu };
}

function fits(screen: string) {
  expect(screen.length).toBeLessThanOrEqual(160);
  expect(screen).toMatch(/^[\x20-\x7e\n]*$/);
}

describe("guidance flows over USSD, from the main menu", () => {
  it("lists the five guidance topics in Vietnamese and in English", async () => {
    const vi = await guidance("+84912345678");
    expect(vi.menu.screen).toContain("1. Mo tai khoan nhan tien");
    expect(vi.menu.screen).toContain("5. Bao lua dao");
    fits(vi.menu.screen);
    const en = await guidance("+84978111222", "en");
    expect(en.menu.screen).toContain("1. Open an account");
    expect(en.menu.screen).toContain("5. Report a scam");
  });

  it("open an account: papers, where, free, never a PIN, then registers the method", async () => {
    const { caller } = await guidance("+84912345678");
    const intro = await caller.press("1");
    expect(intro.screen).toContain("mien phi");
    expect(intro.screen).toContain("PIN, OTP");
    const papers = await caller.pressAndReadAll("1");
    expect(papers.text).toContain("giay khai sinh");
    expect(papers.text).toContain("giay uy quyen");
    papers.pages.forEach((p) => fits(p.screen));
    const where = await caller.pressAndReadAll("1");
    expect(where.text).toContain("Viettel Money");
    expect(where.text).toContain("khong mat phi");
    where.pages.forEach((p) => fits(p.screen));
    const method = await caller.press("1");
    expect(method.screen).toContain("Dang nhan: tien mat tai diem chi tra");
  });

  it("open an account in English", async () => {
    const { caller } = await guidance("+84978111222", "en");
    const intro = await caller.press("1");
    expect(intro.screen).toContain("free to open");
    const papers = await caller.press("1");
    expect(papers.screen).toContain("birth certificate");
  });

  it("someone to receive for me: a beneficiary with a registered guardian sees who, masked", async () => {
    const caller = new UssdCaller(server.baseUrl, "+84987654321");
    await caller.freshDial();
    await caller.press("1");
    await caller.press("4");
    const receivers = await caller.press("2");
    expect(receivers.screen).toContain("Luong Van Cuong (DEMO) (con trai) ***321");
    expect(receivers.screen).not.toContain("0987654321");
    const how = await caller.pressAndReadAll("1");
    expect(how.text).toContain("Chung thuc giay uy quyen");
  });

  it("someone to receive for me: a person with none registered gets the how-to, in English too", async () => {
    const vi = await guidance("+84912345678");
    const how = await vi.caller.press("2");
    expect(how.screen).toContain("giay uy quyen");
    expect(how.screen).toContain("UBND xa");
    const en = await guidance("+84978111222", "en");
    const howEn = await en.caller.press("2");
    expect(howEn.screen).toContain("authorisation");
  });

  it("where cash is paid: pay point, date and the commune's hours when the commune has sent them", async () => {
    const { caller } = await guidance("+84912345678");
    const cash = await caller.press("3");
    expect(cash.screen).toContain("Nha van hoa thon Ban Chu, ngay 05/12/2026");
    expect(cash.screen).toContain("Gio chi tra: 7h30-11h00, ngay 5-7 hang thang");
    fits(cash.screen);
  });

  it("where cash is paid: without commune information, the hotline instead of hours", async () => {
    const caller = new UssdCaller(server.baseUrl, "+84388999000");
    await caller.freshDial();
    await caller.pressAll("5", "2");
    await caller.press("4");
    const home = await caller.press("3");
    expect(home.screen).toContain("paid at home on 06/12/2026");
    expect(home.screen).toContain("charge nothing");
  });

  it("where cash is paid: someone paid by bank is told so and how to ask for home payment", async () => {
    const { caller } = await guidance("+84978111222");
    const answer = await caller.press("3");
    expect(answer.screen).toContain("vi dien tu");
    expect(answer.screen).toContain("tai nha");
    const reason = await caller.press("1");
    expect(reason.screen).toContain("Ly do can nhan tai nha");
  });

  it("contact the commune: address, hours and phone, and the province hotline", async () => {
    const { caller } = await guidance("+84912345678");
    const contact = await caller.pressAndReadAll("4");
    const pages = contact.pages.map((p) => p.screen);
    const all = contact.text;
    expect(all).toContain("UBND Bac Son");
    expect(all).toContain("Khu pho Tran Dang Ninh");
    expect(all).toContain("0205 3 837 000");
    expect(all).toContain("Duong day nong cua tinh");
    pages.forEach(fits);
  });

  it("contact the commune: a commune without information still gets the hotline, in both languages", async () => {
    const vi = await guidance("+84978111222");
    const contact = await vi.caller.press("4");
    expect(contact.screen).toContain("Chua co thong tin lien he cua xa ban");
    expect(contact.screen).toContain("Duong day nong cua tinh: 0205 3 123 456");
    const en = await guidance("+84978111222", "en");
    const contactEn = await en.caller.press("4");
    expect(contactEn.screen).toContain("Province hotline: 0205 3 123 456");
  });

  it("report a scam: repeats the rules and records what happened as a scam escalation", async () => {
    const { caller } = await guidance("+84912345678");
    const rules = await caller.pressAndReadAll("5");
    expect(rules.text).toContain("khong bao gio hoi ma PIN, OTP");
    expect(rules.text).toContain("doi tien");
    expect(rules.text).toContain("link");
    const ask = await caller.press("1");
    expect(ask.screen).toContain("chuyen gi da xay ra");
    const done = await caller.pressAndReadAll("Co nguoi goi xin ma OTP");
    expect(done.text).toContain("Da ghi nhan bao cao");
    expect(done.text).toContain("PIN, OTP");
    const report = await rowOf(server.services.db.query, "Escalation", { topic: "scam", externalId: "+84912345678" });
    expect(report?.details).toBe("Co nguoi goi xin ma OTP");
    expect(report?.status).toBe("open");
  });

  it("report a scam in English", async () => {
    const { caller } = await guidance("+84978111222", "en");
    await caller.press("5");
    await caller.press("1");
    const done = await caller.press("A man asked for my OTP");
    expect(done.screen).toContain("Your report is recorded");
    expect(await countOf(server.services.db.query, "Escalation", { topic: "scam", externalId: "+84978111222" })).toBe(1);
  });
});
