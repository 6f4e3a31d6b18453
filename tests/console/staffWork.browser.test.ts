import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { launchConsoleBrowser, login, PHONE, screenshot } from "../helpers/consoleBrowser.ts";
import { DEMO, sqlValue, sqlValues } from "../helpers/consoleClient.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { waitFor } from "../helpers/fakeZaloServer.ts";
import { TelegramTest, textOf, WEBHOOK_SECRET } from "../channels/telegram/telegramTestKit.ts";

// Bắc Sơn's staff at work, in a real browser, on the real service: the bot talks to a fake Telegram
// server, and the outbox sends for real. Nguyễn Văn An (DEMO-0001) and Lương Văn Cường (guardian of
// DEMO-0002/0003) use Telegram; An also dials USSD from +84912345678, where he asks to be paid by bank.
const AN = { telegram: 7101, phone: "+84912345678" };
const CUONG = { telegram: 7110, phone: "+84987654321" };
const ACCOUNT = "4200555566667777";
const NOTICE = "Họp thôn Bản Chu lúc 7h30 sáng thứ Bảy tại nhà văn hóa. Mang theo CCCD.";
let server: TestServer;
let fake: FakeTelegramServer;
let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
let reference: string;
const sql = () => server.services.db.sql;

/** An dials the service and asks for his money in an Agribank account: the request staff will verify. */
async function anAsksForBank(): Promise<string> {
  const phone = new UssdCaller(server.baseUrl, AN.phone);
  await phone.freshDial();
  await phone.pressAll("2", "1", "1", ACCOUNT);
  const done = await phone.press("1");
  return /Da ghi nhan yeu cau so (YC[A-Z0-9]{8})/.exec(done.screen)![1];
}

/** Everything a dial shows before the person presses anything, every page of it. */
async function firstScreens(phone: UssdCaller): Promise<string> {
  const first = await phone.dial();
  return first.screen.includes("99. Xem them") ? `${first.screen}\n${(await phone.pressAndReadAll("99")).text}` : first.screen;
}

async function acceptingConfirms(page: Page): Promise<Page> {
  page.on("dialog", (dialog) => void dialog.accept());
  return page;
}

beforeAll(async () => {
  fake = await FakeTelegramServer.start();
  server = await startTestServer({
    config: {
      telegram: { token: fake.token, apiRoot: fake.apiRoot, webhookSecret: WEBHOOK_SECRET, limits: { perSecond: 50, perChatPerSecond: 50, maxRetries: 1, backoffMs: 5 } },
      outbox: { quietHours: "00:00-00:00", workers: 1, leaseSeconds: 60, maxAttempts: 3, pollMs: 200 },
    },
  });
  const telegram = new TelegramTest(server, fake, server.services.chatChannels[0]);
  for (const person of [AN, CUONG]) {
    await telegram.user(person.telegram).say("/start");
    await telegram.user(person.telegram).shareContact(person.phone);
  }
  reference = await anAsksForBank();
  browser = await launchConsoleBrowser(server.baseUrl);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

describe("commune staff in the browser", () => {
  it("compose, preview (USSD length), send now, and watch the progress complete while the outbox delivers to Telegram", async () => {
    const page = await acceptingConfirms(await browser.newPage());
    await login(page, DEMO.staffBacSon.username, DEMO.staffBacSon.password);
    await page.getByRole("navigation").getByRole("link", { name: "Thông báo" }).click();
    await page.getByRole("link", { name: "Soạn thông báo mới" }).click();
    await page.getByLabel(/^Nội dung tiếng Việt/).fill(NOTICE);
    await page.getByLabel(/^Nội dung tiếng Anh/).fill("Village meeting in Bản Chu at 7:30 on Saturday at the cultural house. Bring your citizen ID.");
    await expect(page.locator('[data-counter-for="textVi"]').textContent()).resolves.toBe(`${NOTICE.length}/1000`);
    await page.getByLabel("Người cao tuổi").check();
    await page.getByLabel("Người cao tuổi").uncheck();
    await screenshot(page, "broadcast-compose");
    await page.getByRole("button", { name: "Xem trước" }).click();

    await expect(page.locator("h1").textContent()).resolves.toBe("Xem trước thông báo");
    await expect(page.locator('[data-reach="telegram"]').textContent()).resolves.toBe("2");
    await expect(page.locator('[data-reach="ussd"]').textContent()).resolves.toBe("1");
    const ussdLength = page.locator(".ussd-length").first();
    await expect(ussdLength.textContent()).resolves.toBe(`Độ dài trên USSD: ${NOTICE.length} ký tự (mỗi màn hình tối đa 160), 1 màn hình`);
    await expect(page.locator(".ussd-screen").first().textContent()).resolves.toContain("Tin nhan moi: Hop thon Ban Chu luc 7h30");
    await screenshot(page, "broadcast-preview");

    // Sent while the outbox is stopped: the page shows it pending, then follows it without a reload.
    await page.getByRole("button", { name: "Gửi ngay" }).click();
    await page.waitForURL(/\/console\/broadcasts\/\d+\?notice=broadcast_sent$/);
    await expect(page.locator('[data-cell="telegram.pending"]').textContent()).resolves.toBe("2");
    await expect(page.locator('[data-cell="ussd.awaiting"]').textContent()).resolves.toBe("1");
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    server.services.outbox.start(server.services.config.outbox.pollMs);
    await page.locator('[data-field="statusLabel"]', { hasText: "Đã gửi xong" }).waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-cell="telegram.sent"]').textContent()).resolves.toBe("2");
    await expect(page.locator('[data-cell="telegram.pending"]').textContent()).resolves.toBe("0");
    await expect(page.locator('[data-field="summary"]').textContent()).resolves.toBe("Đã tới 2/3 người · 0 lỗi · 1 chờ gọi USSD");
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    for (const person of [AN, CUONG]) expect(fake.delivered(person.telegram).map(textOf)).toContain(NOTICE);
    await screenshot(page, "broadcast-progress");
    expect(browser.errors).toEqual([]);
    await page.context().close();
  });

  it("verify a change request, see the account once, approve it, and the person is told at their next USSD dial", async () => {
    const page = await acceptingConfirms(await browser.newPage());
    await login(page, DEMO.staffBacSon.username, DEMO.staffBacSon.password);
    await page.getByRole("navigation").getByRole("link", { name: "Đổi hình thức nhận tiền" }).click();
    await expect(page.locator("tbody").textContent()).resolves.toContain("Agribank ***7777");
    await page.getByRole("link", { name: reference }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe(`Yêu cầu ${reference}`);
    await expect(page.locator("main").textContent()).resolves.not.toContain(ACCOUNT);
    await screenshot(page, "method-change");

    await page.getByRole("button", { name: "Hiện số tài khoản" }).click();
    await expect(page.locator(".secret").textContent()).resolves.toBe(ACCOUNT);
    expect(await sqlValues(sql(), `SELECT actorId FROM AuditLog WHERE action = 'method_change.account_revealed'`)).toEqual(["demo-staff"]);
    await page.getByRole("link", { name: "← Quay lại yêu cầu" }).click();
    await expect(page.locator("main").textContent()).resolves.not.toContain(ACCOUNT);

    await page.getByLabel(/^Ghi chú/).fill("Đã gọi điện xác nhận với ông An.");
    await page.getByRole("button", { name: "Duyệt yêu cầu" }).click();
    await expect(page.locator(".notice").textContent()).resolves.toBe("Đã duyệt yêu cầu. Người dân sẽ được báo qua kênh họ đã dùng.");
    await expect(page.locator(".badge").first().textContent()).resolves.toBe("Đã duyệt");

    // An asked on USSD: the outcome waits for his next dial, in Vietnamese without diacritics.
    const notice = await waitFor(() => sql().get(`SELECT channel, status FROM OutboxMessage WHERE kind = 'method_change_approved'`), "the approval notice");
    expect(notice).toEqual({ channel: "ussd", status: "pending" });
    const screens = await firstScreens(new UssdCaller(server.baseUrl, AN.phone));
    expect(screens).toContain(`Yeu cau ${reference} doi cach nhan tro cap cua Nguyen Van An (DEMO) da duoc duyet`);
    expect(await sqlValue(sql(), `SELECT status FROM OutboxMessage WHERE kind = 'method_change_approved'`)).toBe("delivered");
    expect(browser.errors).toEqual([]);
    await page.context().close();
  });

  it("the dashboard: this month's figures for Bắc Sơn, drawn and tabled; readable on a phone", async () => {
    const page = await browser.newPage();
    await login(page, DEMO.staffBacSon.username, DEMO.staffBacSon.password);
    await page.getByRole("link", { name: "Xem tổng quan tháng này" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Tổng quan");
    // An on Telegram and USSD, Cường on Telegram: people reached this month.
    await expect(page.locator(".tiles li").first().textContent()).resolves.toContain("3người được liên hệ");
    // People reached, payments, reminders, and the messages exchanged per channel (kept, plus those removed by retention).
    await expect(page.locator(".chart svg").count()).resolves.toBe(4);
    await expect(page.getByRole("heading", { name: "Tin nhắn trao đổi theo kênh" }).count()).resolves.toBe(1);
    await expect(page.locator(".chart table").first().textContent()).resolves.toContain("Telegram2");
    await page.getByLabel("Xã").selectOption({ label: "Bắc Sơn" });
    await page.getByRole("button", { name: "Xem" }).click();
    await page.waitForURL(/commune=\d+/);
    await expect(page.locator(".lead").textContent()).resolves.toContain("Bắc Sơn");
    await screenshot(page, "dashboard");
    await page.context().close();

    const phone = await browser.newPage({ viewport: PHONE });
    await login(phone, DEMO.staffBacSon.username, DEMO.staffBacSon.password);
    for (const path of ["/console/dashboard", "/console/broadcasts/new", "/console/method-changes"]) {
      await phone.goto(path);
      const widths = await phone.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
      expect(widths.page, path).toBeLessThanOrEqual(widths.screen);
    }
    expect(browser.errors).toEqual([]);
    await phone.context().close();
  });
});
