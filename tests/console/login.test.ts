import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { addConsoleUser, ConsoleClient, DEMO, sqlValues } from "../helpers/consoleClient.ts";

let now = new Date("2026-12-01T02:00:00Z");
let server: TestServer;
const audits = async (action: string) =>
  (await server.services.db.sql.all(`SELECT actorKind, actorId, entity, entityId, after FROM AuditLog WHERE action = ? ORDER BY id`, [action])) as {
    actorKind: string;
    actorId: string;
    entity: string;
    entityId: string;
    after: string | null;
  }[];

beforeAll(async () => {
  server = await startTestServer({
    clock: () => now,
    config: { console: { ...loadConfig().console, sessionIdleMinutes: 30, trustProxy: "loopback" } },
  });
});
afterAll(async () => {
  await server.close();
});

describe("console login", () => {
  it("sends anyone without a session to the login page, and back where they wanted after login", async () => {
    const client = new ConsoleClient(server.baseUrl);
    const first = await client.get("/console/people?q=an");
    expect(first.status).toBe(303);
    expect(first.location).toBe("/console/login?next=%2Fconsole%2Fpeople%3Fq%3Dan");
    const page = await client.get(first.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="vi">');
    expect(page.text).toContain("Đăng nhập");
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const login = await client.request("POST", "/console/login", {
      form: { username: "Demo-Staff", password: DEMO.staffBacSon.password, _csrf: token, next: "/console/people?q=an" },
    });
    expect(login.status).toBe(303);
    expect(login.location).toBe("/console/people?q=an");
    const people = await client.get(login.location!);
    expect(people.status).toBe(200);
    expect(people.text).toContain("Nguyễn Văn An (DEMO)");
  });

  it("never redirects after login to another site", async () => {
    const client = new ConsoleClient(server.baseUrl);
    for (const next of ["https://evil.example/", "//evil.example/console", "/console/\\evil", "/elsewhere"]) {
      const login = await client.submitLogin(DEMO.operator.username, DEMO.operator.password, { next });
      expect(login.location, next).toBe("/console/");
    }
  });

  it("sets an HttpOnly, SameSite=Lax session cookie on /console, not Secure over plain HTTP", async () => {
    const client = new ConsoleClient(server.baseUrl);
    const login = await client.submitLogin(DEMO.operator.username, DEMO.operator.password);
    const cookie = login.setCookies.find((c) => c.startsWith("ansinh_console="))!;
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\/console(;|$)/);
    expect(cookie).not.toMatch(/Secure/);
    // Only the token's SHA-256 is stored.
    const token = client.cookies.get("ansinh_console")!;
    const stored = (await sqlValues(server.services.db.sql, `SELECT tokenHash FROM ConsoleSession`)) as string[];
    expect(stored).not.toContain(token);
    expect(stored).toContain((await import("node:crypto")).createHash("sha256").update(token).digest("hex"));
  });

  it("marks the cookie Secure when a trusted proxy says the request came over HTTPS", async () => {
    const client = new ConsoleClient(server.baseUrl);
    const page = await client.get("/console/login", { "x-forwarded-proto": "https" });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const login = await client.request("POST", "/console/login", {
      form: { username: DEMO.operator.username, password: DEMO.operator.password, _csrf: token },
      headers: { "x-forwarded-proto": "https", origin: server.baseUrl.replace("http:", "https:") },
    });
    expect(login.status).toBe(303);
    expect(login.setCookies.find((c) => c.startsWith("ansinh_console="))).toMatch(/; Secure/);
  });

  it("refuses a wrong password with the same words as an unknown username", async () => {
    const wrong = await new ConsoleClient(server.baseUrl, { forwardedFor: "10.1.0.1" }).submitLogin(DEMO.operator.username, "not-the-password");
    const unknown = await new ConsoleClient(server.baseUrl, { forwardedFor: "10.1.0.2" }).submitLogin("nobody-here", "not-the-password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = (text: string) => /<p class="error" role="alert"[^>]*>([^<]*)</.exec(text)![1];
    expect(message(wrong.text)).toBe("Tên đăng nhập hoặc mật khẩu không đúng.");
    expect(message(unknown.text)).toBe(message(wrong.text));
    expect(wrong.setCookies.some((c) => c.startsWith("ansinh_console="))).toBe(false);
  });

  it("answers an empty form with a 400 and what to enter", async () => {
    const answer = await new ConsoleClient(server.baseUrl).submitLogin("", "");
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("Hãy nhập tên đăng nhập và mật khẩu.");
  });

  it("logs out: the session ends on the server and the cookie is cleared", async () => {
    const client = new ConsoleClient(server.baseUrl);
    await client.login(DEMO.admin.username, DEMO.admin.password);
    const oldToken = client.cookies.get("ansinh_console")!;
    const logout = await client.post("/console/logout");
    expect(logout.status).toBe(303);
    expect(logout.location).toBe("/console/login?notice=logged_out");
    expect(logout.setCookies.find((c) => c.startsWith("ansinh_console="))).toMatch(/Max-Age=0/);
    expect(client.cookies.has("ansinh_console")).toBe(false);
    // The old cookie no longer opens anything.
    const replay = new ConsoleClient(server.baseUrl);
    replay.cookies.set("ansinh_console", oldToken);
    expect((await replay.get("/console/")).status).toBe(303);
    expect((await audits("console.logout")).at(-1)).toMatchObject({ actorKind: "staff", actorId: "demo-admin", entity: "ConsoleUser" });
  });

  it("ends a session unused for CONSOLE_SESSION_IDLE_MINUTES and says why", async () => {
    const client = new ConsoleClient(server.baseUrl);
    await client.login(DEMO.operator.username, DEMO.operator.password);
    now = new Date(now.getTime() + 29 * 60_000);
    expect((await client.get("/console/")).status).toBe(200); // used: the idle time starts again
    now = new Date(now.getTime() + 29 * 60_000);
    expect((await client.get("/console/")).status).toBe(200);
    now = new Date(now.getTime() + 31 * 60_000);
    const expired = await client.get("/console/");
    expect(expired.status).toBe(303);
    expect(expired.location).toContain("expired=1");
    const page = await client.get(expired.location!);
    expect(page.text).toContain("Phiên làm việc đã hết hạn");
  });

  it("records each login in the audit log with who and from where", async () => {
    const client = new ConsoleClient(server.baseUrl, { forwardedFor: "10.9.8.7" });
    await client.login(DEMO.staffTrangDinh.username, DEMO.staffTrangDinh.password);
    const row = (await audits("console.login")).at(-1)!;
    expect(row).toMatchObject({ actorKind: "staff", actorId: "demo-staff-td", entity: "ConsoleUser" });
    expect(JSON.parse(row.after!)).toMatchObject({ address: "10.9.8.7" });
  });
});

describe("a one-time password", () => {
  it("lets the person in only to change it, and then no longer works", async () => {
    const { oneTimePassword } = await (await import("../../src/domain/consoleUsers/consoleUsers.ts")).createConsoleUser(
      server.services.db.sql,
      { username: "new-operator", role: "operator" },
      { kind: "system", id: "test" },
    );
    const client = new ConsoleClient(server.baseUrl);
    const login = await client.submitLogin("new-operator", oneTimePassword!);
    expect(login.status).toBe(303);
    expect(login.location).toBe("/console/password");
    // Every other page sends them back to the password form.
    for (const path of ["/console/", "/console/escalations", "/console/dashboard"]) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(303);
      expect(answer.location).toBe("/console/password");
    }
    const form = await client.get("/console/password");
    expect(form.text).toContain("mật khẩu dùng một lần");
    // Mistakes are explained, with a 400.
    const short = await client.post("/console/password", { current: oneTimePassword!, password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(short.text).toContain("quá ngắn");
    const mismatch = await client.post("/console/password", { current: oneTimePassword!, password: "a long new password", confirm: "another long one" });
    expect(mismatch.status).toBe(400);
    const wrongCurrent = await client.post("/console/password", { current: "not it at all", password: "a long new password", confirm: "a long new password" });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.text).toContain("Mật khẩu hiện tại không đúng.");
    const changed = await client.post("/console/password", { current: oneTimePassword!, password: "a long new password", confirm: "a long new password" });
    expect(changed.status).toBe(303);
    expect(changed.location).toBe("/console/?notice=password_changed");
    const home = await client.get(changed.location!);
    expect(home.status).toBe(200);
    expect(home.text).toContain("Đã đổi mật khẩu.");

    expect((await new ConsoleClient(server.baseUrl, { forwardedFor: "10.2.0.1" }).submitLogin("new-operator", oneTimePassword!)).status).toBe(401);
    const again = await new ConsoleClient(server.baseUrl).submitLogin("new-operator", "a long new password");
    expect(again.location).toBe("/console/");
    expect((await audits("console_user.password_changed")).at(-1)).toMatchObject({ actorKind: "staff", actorId: "new-operator" });
  });

  it("changing a password ends the person's other sessions", async () => {
    await addConsoleUser(server.services.db.sql, { username: "two-devices", role: "operator", password: "first password here" });
    const laptop = new ConsoleClient(server.baseUrl);
    const phone = new ConsoleClient(server.baseUrl);
    await laptop.login("two-devices", "first password here");
    await phone.login("two-devices", "first password here");
    const changed = await laptop.post("/console/password", { current: "first password here", password: "second password here", confirm: "second password here" });
    expect(changed.status).toBe(303);
    expect((await laptop.get("/console/")).status).toBe(200);
    expect((await phone.get("/console/")).status).toBe(303);
  });
});

describe("language", () => {
  it("is Vietnamese by default; the English switch is remembered in the session", async () => {
    const client = new ConsoleClient(server.baseUrl);
    const home = await client.login(DEMO.operator.username, DEMO.operator.password);
    expect(home.text).toContain('<html lang="vi">');
    expect(home.text).toContain("Trang chính");
    const switched = await client.post("/console/locale", { lang: "en", back: "/console/escalations" });
    expect(switched.status).toBe(303);
    expect(switched.location).toBe("/console/escalations");
    const english = await client.get("/console/");
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain("Escalations");
    expect(english.text).toContain("Log out");
    // The language belongs to the session: another login starts in Vietnamese.
    const other = await new ConsoleClient(server.baseUrl).login(DEMO.operator.username, DEMO.operator.password);
    expect(other.text).toContain('<html lang="vi">');
  });

  it("the login page can be read in English before logging in, and the session starts in it", async () => {
    const client = new ConsoleClient(server.baseUrl);
    const page = await client.get("/console/login?lang=en");
    expect(page.text).toContain("Log in");
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    expect(page.text).toContain('name="lang" value="en"');
    const login = await client.request("POST", "/console/login", { form: { username: DEMO.admin.username, password: DEMO.admin.password, _csrf: token, lang: "en" } });
    const home = await client.get(login.location!);
    expect(home.text).toContain('<html lang="en">');
  });
});
