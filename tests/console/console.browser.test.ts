import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { launchConsoleBrowser, login, PHONE, screenshot } from "../helpers/consoleBrowser.ts";
import { beneficiaryId, DEMO } from "../helpers/consoleClient.ts";

let server: TestServer;
let browser: Awaited<ReturnType<typeof launchConsoleBrowser>>;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchConsoleBrowser(server.baseUrl);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const navLinks = (page: Page) => page.locator("header nav a").allTextContents();

describe("the console in a browser", () => {
  it("login page: Vietnamese, labelled, keyboard first (skip link), styled from its own assets", async () => {
    const page = await browser.newPage();
    const response = await page.goto("/console/");
    expect(response!.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await expect(page.locator("h1").textContent()).resolves.toBe("Đăng nhập");
    // Every field has a label; the username field has the focus.
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("username");
    await expect(page.getByLabel("Mật khẩu").count()).resolves.toBe(1);
    // The stylesheet (served from /console/assets) applied.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector(".top")!).display)).toBe("flex");
    await screenshot(page, "login");
    await page.getByRole("link", { name: "English" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Log in");
    expect(browser.errors).toEqual([]);
    await page.context().close();
  });

  it("an operator sees escalations and the dashboard, and cannot open accounts", async () => {
    const page = await browser.newPage();
    await login(page, DEMO.operator.username, DEMO.operator.password);
    expect(await navLinks(page)).toEqual(["Trang chính", "Yêu cầu gặp cán bộ", "Tổng quan"]);
    // Keyboard: the first Tab reaches the skip link, visible and outlined; Enter moves to the content.
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const box = document.activeElement!.getBoundingClientRect();
      return { text: document.activeElement?.textContent, outline: getComputedStyle(document.activeElement!).outlineStyle, visible: box.top >= 0 && box.height > 0 };
    });
    expect(focused).toEqual({ text: "Chuyển tới nội dung chính", outline: "solid", visible: true });
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("main");
    const refused = await page.goto("/console/admin/users");
    expect(refused!.status()).toBe(403);
    await expect(page.locator("h1").textContent()).resolves.toBe("Không có quyền");
    await page.context().close();
  });

  it("commune staff see their commune's people, masked, and fail to open another commune's person by URL", async () => {
    const page = await browser.newPage();
    await login(page, DEMO.staffBacSon.username, DEMO.staffBacSon.password);
    expect(await navLinks(page)).toEqual(["Trang chính", "Thông báo", "Đổi hình thức nhận tiền", "Dữ liệu cá nhân", "Tổng quan", "Đối tượng"]);
    await page.getByRole("navigation").getByRole("link", { name: "Đối tượng" }).click();
    await expect(page.locator("tbody tr").count()).resolves.toBe(3);
    await expect(page.locator("body").textContent()).resolves.toContain("0912***678");
    await screenshot(page, "people");
    // Search by keyboard, without diacritics.
    await page.getByLabel("Tìm theo tên hoặc mã").fill("hoang thi");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=hoang/);
    await expect(page.locator("tbody tr").count()).resolves.toBe(1);
    await page.getByRole("link", { name: "Hoàng Thị Bình (DEMO)" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Hoàng Thị Bình (DEMO)");
    // Another commune's person, by a crafted URL.
    const other = await page.goto(`/console/people/${await beneficiaryId(server.services.db.sql, "DEMO-0004")}`);
    expect(other!.status()).toBe(404);
    await expect(page.locator("h1").textContent()).resolves.toBe("Không tìm thấy");
    await expect(page.locator("body").textContent()).resolves.not.toContain("Vi Thị Hoa");
    await page.context().close();
  });

  it("is readable on a phone: nothing wider than the screen", async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await login(page, DEMO.staffBacSon.username, DEMO.staffBacSon.password);
    await page.goto("/console/people");
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    await screenshot(page, "people-phone");
    await page.context().close();
  });

  it("an admin creates an account in the form, sees its one-time password, and finds it in the audit log", async () => {
    const page = await browser.newPage();
    await login(page, DEMO.admin.username, DEMO.admin.password);
    expect(await navLinks(page)).toEqual([
      "Trang chính",
      "Yêu cầu gặp cán bộ",
      "Thông báo",
      "Đổi hình thức nhận tiền",
      "Dữ liệu cá nhân",
      "Tổng quan",
      "Đối tượng",
      "Tài khoản",
      "Nhật ký",
      "Sự cố dữ liệu",
    ]);
    await page.getByRole("navigation").getByRole("link", { name: "Tài khoản" }).click();
    await page.getByLabel(/^Tên đăng nhập/).fill("huong");
    await page.getByLabel("Tên hiển thị").fill("Trần Thu Hương");
    await page.getByLabel("Vai trò").selectOption("staff");
    await page.getByLabel("Tràng Định").check();
    await page.getByRole("button", { name: "Tạo tài khoản" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Đã tạo tài khoản huong");
    const password = (await page.locator(".secret").textContent())!;
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    await page.getByRole("link", { name: "← Danh sách tài khoản" }).click();
    await expect(page.locator("tbody").textContent()).resolves.toContain("Trần Thu Hương");
    await screenshot(page, "users");

    await page.getByRole("navigation").getByRole("link", { name: "Nhật ký" }).click();
    await page.getByLabel("Người thực hiện").fill("demo-admin");
    await page.getByLabel("Thao tác").fill("console_user.");
    await page.getByRole("button", { name: "Lọc" }).click();
    await page.waitForURL(/actor=demo-admin/);
    await expect(page.locator("tbody tr").first().textContent()).resolves.toContain("console_user.created");
    await expect(page.locator("tbody tr").first().textContent()).resolves.toContain('"username": "huong"');
    await screenshot(page, "audit");

    // The new person logs in with the one-time password and must choose their own.
    const newcomer = await browser.newPage();
    await login(newcomer, "huong", password);
    expect(new URL(newcomer.url()).pathname).toBe("/console/password");
    await newcomer.getByLabel("Mật khẩu hiện tại").fill(password);
    await newcomer.getByLabel(/^Mật khẩu mới/).fill("Hương's own password");
    await newcomer.getByLabel("Nhập lại mật khẩu mới").fill("Hương's own password");
    await newcomer.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await expect(newcomer.locator(".notice").textContent()).resolves.toBe("Đã đổi mật khẩu.");
    expect(await navLinks(newcomer)).toContain("Đối tượng");
    expect(browser.errors).toEqual([]);
    await newcomer.context().close();
    await page.context().close();
  });

  it("switches to English and stays in English", async () => {
    const page = await browser.newPage();
    await login(page, DEMO.admin.username, DEMO.admin.password);
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Home");
    await page.getByRole("navigation").getByRole("link", { name: "Audit log" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Audit log");
    await page.getByRole("button", { name: "Log out" }).click();
    await expect(page.locator(".notice").textContent()).resolves.toBe("You have logged out.");
    await page.context().close();
  });
});
