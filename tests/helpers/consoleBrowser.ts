import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { PROJECT_ROOT } from "../../src/shared/projectPaths.ts";

/**
 * The headless Chromium that the npm package @sparticuz/chromium carries, unpacked once per run by
 * the global setup (tests/testEnvironment.globalSetup.ts); CHROMIUM_PATH=/usr/bin/chromium uses a
 * system browser instead. Nothing is downloaded. The flags keep it off the network (this machine
 * has none beyond the package registry) and out of a sandbox it cannot have as root.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const SCREENSHOTS_DIR = path.join(PROJECT_ROOT, "docs", "screenshots");

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface ConsoleBrowser {
  browser: Browser;
  /** A page in a fresh context (its own cookies) whose relative URLs go to the test server. */
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Chromium driven by playwright-core, against a test server (see startTestServer). Every page it
 * opens records the browser's console errors (a CSP refusal, a script error) in `errors`, so a
 * test can assert there were none.
 */
export async function launchConsoleBrowser(baseUrl: string): Promise<ConsoleBrowser & { errors: string[] }> {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath || !fs.existsSync(executablePath)) {
    throw new Error(`no browser at CHROMIUM_PATH=${executablePath ?? "(unset)"}: the test run's global setup unpacks @sparticuz/chromium there unless it is set`);
  }
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const errors: string[] = [];
  return {
    browser,
    errors,
    async newPage(options = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: options.viewport ?? LAPTOP });
      const page = await context.newPage();
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        // A page a test opens on purpose may answer 403 or 404: that is the page's status, not an error in it.
        if (message.text().startsWith("Failed to load resource") && message.location().url === page.url()) return;
        errors.push(`${page.url()}: ${message.text()} (${message.location().url})`);
      });
      page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
      return page;
    },
    close: () => browser.close(),
  };
}

/** Logs in through the login form, as a person would; resolves on the page the login leads to. */
export async function login(page: Page, user: string, password: string): Promise<void> {
  await page.goto("/console/login");
  await page.getByLabel(/Tên đăng nhập|Username/).fill(user);
  await page.getByLabel(/^(Mật khẩu|Password)$/).fill(password);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith("/console/login")), page.getByRole("button", { name: /Đăng nhập|Log in/ }).click()]);
}

/** Saves the whole page as docs/screenshots/NAME.png (committed: the README and reviews show them). */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`screenshot name "${name}": use a-z, 0-9 and -`);
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
