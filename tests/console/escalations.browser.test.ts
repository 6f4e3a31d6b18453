import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTelegramTest, textOf, waitFor, type TelegramTest } from "../channels/telegram/telegramTestKit.ts";
import { launchConsoleBrowser, login, PHONE, screenshot } from "../helpers/consoleBrowser.ts";
import { DEMO, sqlValue } from "../helpers/consoleClient.ts";
import { UssdCaller } from "../helpers/testServer.ts";

// The demo operator works the inbox in Chromium while a person writes on (fake) Telegram: nothing
// on the page is reloaded by hand, the replies leave through the outbox the service runs.
let test: TelegramTest;
let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;
let nextTelegramId = 9100;

beforeAll(async () => {
  test = await startTelegramTest({ config: { outbox: { quietHours: "00:00-00:00", workers: 1, leaseSeconds: 60, maxAttempts: 3, pollMs: 100 } } });
  test.server.services.outbox.start(100);
  browser = await launchConsoleBrowser(test.server.baseUrl);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await test?.close();
});

const hub = () => test.server.services.escalations.events;
const sql = () => test.server.services.db.sql;

async function askOnTelegram() {
  const user = test.user(nextTelegramId++);
  await user.identifyByCitizenId();
  await user.press("6");
  await user.press("1");
  const id = (await sqlValue(sql(), `SELECT id FROM Escalation WHERE channel = 'telegram' AND externalId = ? ORDER BY id DESC`, [String(user.id)])) as number;
  return { user, id };
}

/** Marks the page, so a test can tell that it was changed in place and not loaded again. */
const markPage = (page: Page) => page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
const stillTheSamePage = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

/** Waits until the page's event stream listens to the desk's hub (one more listener than `before`). */
const streamOpen = (before: number) => waitFor(() => hub().listenerCount("escalation.created") > before, "the page's event stream");

describe("the operator inbox in a browser", () => {
  it("shows a new escalation without reload; the operator claims and answers it, sees the person's next words arrive, and resolves it", async () => {
    // Someone on a feature phone asked first.
    const caller = new UssdCaller(test.server.baseUrl, "+84912345678");
    await caller.freshDial();
    await caller.pressAll("6", "1");
    const page = await browser.newPage();
    await login(page, DEMO.operator.username, DEMO.operator.password);
    const listeners = hub().listenerCount("escalation.created");
    await page.getByRole("navigation", { name: "Mục chính" }).getByRole("link", { name: "Yêu cầu gặp cán bộ" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Yêu cầu gặp cán bộ");
    await streamOpen(listeners);
    await markPage(page);

    await expect(page.locator("tbody tr").count()).resolves.toBe(1);
    // A person asks for a human on Telegram: the queue shows it (after the one waiting longer) and its count, with no reload.
    const { user, id } = await askOnTelegram();
    const row = page.locator(`tr[data-escalation="${id}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain("Đinh Thị Mai (DEMO)");
    await expect(row.textContent()).resolves.toContain("dưới 1 phút");
    await expect(page.locator("tbody tr").nth(1).getAttribute("data-escalation")).resolves.toBe(String(id));
    await expect(page.locator(".tabs a[aria-current=page] .count").textContent()).resolves.toBe("2");
    expect(await stillTheSamePage(page)).toBe(true);
    await screenshot(page, "escalations-queue");

    // Open it and claim it.
    await row.getByRole("link").click();
    await expect(page.locator("h1").textContent()).resolves.toBe(`#${id} · Đinh Thị Mai (DEMO)`);
    await page.getByRole("button", { name: "Nhận xử lý" }).click();
    await expect(page.locator(".notice").textContent()).resolves.toBe("Bạn đã nhận xử lý yêu cầu.");

    // Reply: it reaches the person's Telegram chat, and the page shows it was sent.
    const before = test.fake.delivered(user.id).length;
    await page.getByLabel("Trả lời người dân").fill("Chào chị Mai, tiền tháng 12 sẽ về tài khoản ngày 06/12.");
    await page.getByRole("button", { name: "Gửi trả lời" }).click();
    await expect(page.locator(".notice").textContent()).resolves.toBe("Đã chuyển câu trả lời đi.");
    const [reply] = await waitFor(() => {
      const calls = test.fake.delivered(user.id).slice(before);
      return calls.length ? calls : null;
    }, "the reply at the fake Telegram server");
    expect(reply.method).toBe("sendMessage");
    expect(textOf(reply)).toBe("Cán bộ trả lời: Chào chị Mai, tiền tháng 12 sẽ về tài khoản ngày 06/12.");
    await page.locator(".entry-operator_reply .delivery-sent").waitFor({ timeout: 10_000 });

    // The person writes again: the words appear on the open page, with no reload.
    await markPage(page);
    const [ack] = await user.say("Em cảm ơn cán bộ, <b>em</b> sẽ kiểm tra");
    expect(textOf(ack)).toContain("Cán bộ đang trả lời bạn");
    const words = page.locator(".conversation .entry-person.to-operator").last();
    await page.locator(".conversation").getByText("Em cảm ơn cán bộ, <b>em</b> sẽ kiểm tra").waitFor({ timeout: 10_000 });
    await expect(words.textContent()).resolves.toContain("<b>em</b>");
    expect(await stillTheSamePage(page)).toBe(true);
    await screenshot(page, "escalation-detail");

    // Resolve, with a reason.
    await page.getByLabel("Lý do (bắt buộc)").fill("Đã báo ngày chi trả");
    await page.getByRole("button", { name: "Đánh dấu đã giải quyết" }).click();
    await expect(page.locator(".notice").textContent()).resolves.toBe("Đã đánh dấu giải quyết.");
    await expect(page.locator(".state").textContent()).resolves.toBe("Đã giải quyết (Tổng đài viên (DEMO) (demo-operator))");
    expect(await test.server.services.escalations.get(id)).toMatchObject({ status: "resolved", resolution: "Đã báo ngày chi trả" });
    expect(browser.errors).toEqual([]);
    await page.context().close();

    // Readable on a phone: nothing wider than the screen.
    const phone = await browser.newPage({ viewport: PHONE });
    await login(phone, DEMO.operator.username, DEMO.operator.password);
    for (const path of ["/console/escalations?tab=resolved", `/console/escalations/${id}`]) {
      await phone.goto(path);
      const widths = await phone.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
      expect(widths.page, path).toBeLessThanOrEqual(widths.screen);
    }
    await phone.context().close();
  }, 60_000);

  it("falls back to polling when the event stream cannot be opened", async () => {
    const page = await browser.newPage();
    await page.route("**/console/escalations/events", (route) => route.abort());
    await login(page, DEMO.operator.username, DEMO.operator.password);
    await page.goto("/console/escalations");
    await markPage(page);
    const { id } = await askOnTelegram();
    // Polled every 5 s.
    await page.locator(`tr[data-escalation="${id}"]`).waitFor({ timeout: 12_000 });
    expect(await stillTheSamePage(page)).toBe(true);
    expect(browser.errors.filter((e) => !e.includes("/console/escalations/events"))).toEqual([]);
    await page.context().close();
  }, 60_000);
});
