import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paginateUssd } from "../../src/channels/ussd/renderUssd.ts";
import type { Locale } from "../../src/engine/session.ts";
import { sampleVariants } from "../../src/flowsCheck/sampleVariables.ts";
import { importPaymentStatusPeople, STATUS_PEOPLE } from "../helpers/paymentStatusPeople.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";

// What a person dials for is whether the money has come: the status (scheduled for a date, paid,
// not paid and why, returned, nothing this month) is the first line of the first USSD page of the
// payment screen; amount, back pay and account come after it.
const LIMIT = 160;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: { ussdScreenLimit: LIMIT } });
  await importPaymentStatusPeople(server.services);
});
afterAll(async () => {
  await server.close();
});

/** The payment screen's pages, from a fresh dial and "1" (or the keys given, for a guardian). */
async function paymentScreen(phone: string, ...keys: string[]) {
  const caller = new UssdCaller(server.baseUrl, phone);
  await caller.freshDial();
  for (const key of keys) await caller.press(key);
  const { pages, text } = await caller.pressAndReadAll("1");
  for (const page of pages) {
    expect(page.screen.length, page.screen).toBeLessThanOrEqual(LIMIT);
    expect(page.screen).toMatch(/^[\x20-\x7e\n]*$/);
  }
  return { firstLine: pages[0].screen.split("\n")[0], firstPage: pages[0].screen, text };
}

describe("the payment screen names the status in the first line of its first USSD page", () => {
  it.each([
    ["scheduled, by bank", STATUS_PEOPLE.scheduledBank, "Ky 12/2026: Se chi tra ngay 25/12/2026, chuyen khoan ngan hang."],
    ["scheduled, cash at a pay point", STATUS_PEOPLE.scheduledCash, "Ky 12/2026: Nhan tien mat ngay 25/12/2026 tai Nha van hoa thon Khuoi Khin, xa Trang Dinh."],
    ["scheduled, cash at home", STATUS_PEOPLE.scheduledHome, "Ky 12/2026: Can bo se mang tien den nha ngay 25/12/2026."],
    ["paid", STATUS_PEOPLE.paid, "Ky 12/2026: Da chi tra ngay 05/12/2026, vi dien tu."],
    ["failed, with the reason", STATUS_PEOPLE.failed, "Ky 12/2026: Chua chi tra duoc: Tai khoan khong ton tai."],
    ["returned, with the reason", STATUS_PEOPLE.returned, "Ky 12/2026: Tien bi tra lai: Tai khoan da bi khoa hoac sai ten chu tai khoan."],
    ["no payment this month", STATUS_PEOPLE.noneThisMonth, "Ky 12/2026: Chua co khoan chi tra trong danh sach."],
  ])("%s", async (_name, phone, status) => {
    const { firstLine } = await paymentScreen(phone);
    expect(firstLine).toBe(status);
  });

  it("puts back pay and what to do after the status (the case of issue 13)", async () => {
    const { firstPage, text } = await paymentScreen(STATUS_PEOPLE.failed);
    expect(firstPage.indexOf("Chua chi tra duoc")).toBeLessThan(firstPage.indexOf("truy linh"));
    expect(text).toContain("So tien: 1.500.000 d (gom truy linh 750.000 d)");
    expect(text).toContain("Hay lien he can bo xa hoac chon Gap can bo.");
    expect(text).toContain("Tai khoan: Agribank ***2223");
  });

  it("shows the latest earlier payment after 'nothing this month', and it among the earlier periods", async () => {
    const { text } = await paymentScreen(STATUS_PEOPLE.noneThisMonth);
    expect(text).toContain("Ky gan nhat 11/2026: 750.000 d - da nhan");
    const caller = new UssdCaller(server.baseUrl, STATUS_PEOPLE.noneThisMonth);
    await caller.freshDial();
    await caller.press("1");
    expect((await caller.press("1")).screen).toContain("11/2026: 750.000 d - da nhan");
  });

  it("for a guardian of several people: the list of people names each one's status", async () => {
    const caller = new UssdCaller(server.baseUrl, STATUS_PEOPLE.guardian);
    const pick = await caller.freshDial();
    expect(pick.screen.length).toBeLessThanOrEqual(LIMIT);
    expect(pick.screen).toContain("1. Hoang Thi Phuong Thao Luong (DEMO): chua chi tra duoc");
    expect(pick.screen).toContain("2. Luong Van Thanh Trung Hoang (DEMO): da nhan");
    // A person is still chosen by name.
    expect((await caller.press("luong van")).screen).toContain("AnSinh - Luong Van Thanh Trung Hoang (DEMO)");
    // And the list is as fresh when the guardian switches person.
    expect((await caller.press("7")).screen).toContain("2. Luong Van Thanh Trung Hoang (DEMO): da nhan");
  });

  it("for a guardian of several people: per chosen person", async () => {
    const failed = await paymentScreen(STATUS_PEOPLE.guardian, "1");
    expect(failed.firstLine).toBe("Ky 12/2026: Chua chi tra duoc: Tai khoan khong ton tai.");
    const paid = await paymentScreen(STATUS_PEOPLE.guardian, "2");
    expect(paid.firstLine).toBe("Ky 12/2026: Da chi tra ngay 05/12/2026, chuyen khoan ngan hang.");
  });
});

describe("with data as long as real data gets, in both languages", () => {
  // The words that name each status, as a USSD screen shows them.
  const NAMES: Record<Locale, Record<string, RegExp>> = {
    vi: {
      scheduled: /^Ky 12\/2026: (Se chi tra ngay|Nhan tien mat ngay|Can bo se mang tien den nha ngay) 25\/12\/2026/,
      paid: /^Ky 12\/2026: Da chi tra ngay 25\/12\/2026/,
      failed: /^Ky 12\/2026: Chua chi tra duoc: /,
      returned: /^Ky 12\/2026: Tien bi tra lai: /,
    },
    en: {
      scheduled: /^Period 12\/2026: (To be paid on|Collect cash on|Staff will bring the money to your home on) 25\/12\/2026/,
      paid: /^Period 12\/2026: Paid on 25\/12\/2026/,
      failed: /^Period 12\/2026: Not paid yet: /,
      returned: /^Period 12\/2026: The money was returned: /,
    },
  };

  it("every status and method: the first line names it, every page within the limit", () => {
    const engine = server.services.engine;
    let checked = 0;
    for (const locale of ["vi", "en"] as Locale[]) {
      for (const vars of sampleVariants()) {
        const payment = vars.payment as { status: string } | undefined;
        if (!payment?.status) continue;
        const reply = engine.preview({ flow: "status", node: "show" }, vars, locale, [{ flow: "main", node: "menu" }]);
        const pages = paginateUssd(reply, LIMIT);
        expect(pages[0].text.split("\n")[0], JSON.stringify(payment)).toMatch(NAMES[locale][payment.status]);
        for (const page of pages) expect(page.text.length).toBeLessThanOrEqual(LIMIT);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2 * 4 * 3);
  });
});
