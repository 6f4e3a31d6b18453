import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { failedLoginDelayMs } from "../../src/http/console/loginThrottle.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { addConsoleUser, ConsoleClient, DEMO, sqlValue } from "../helpers/consoleClient.ts";

let now = new Date("2026-12-01T02:00:00Z");
const delays: number[] = [];
let server: TestServer;
const sql = () => server.services.db.sql;

beforeAll(async () => {
  server = await startTestServer({
    clock: () => now,
    config: { console: { ...loadConfig().console, lockMinutes: 15, trustProxy: "loopback" } },
    http: { console: { loginDelay: async (ms) => void delays.push(ms) } },
  });
});
afterAll(async () => {
  await server.close();
});

describe("CSRF protection", () => {
  async function signedIn(): Promise<ConsoleClient> {
    const client = new ConsoleClient(server.baseUrl);
    await client.login(DEMO.admin.username, DEMO.admin.password);
    expect(client.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    return client;
  }
  const sessionsOf = async () => (await sqlValue(sql(), `SELECT COUNT(*) FROM ConsoleSession s JOIN ConsoleUser u ON u.id = s.userId WHERE u.username = 'demo-admin'`)) as number;

  it("puts the session's token in a hidden _csrf field of every form", async () => {
    const client = await signedIn();
    const page = await client.get("/console/admin/users");
    const forms = page.text.match(/<form method="post"[\s\S]*?<\/form>/g)!;
    expect(forms.length).toBeGreaterThan(3);
    for (const form of forms) expect(form).toContain(`<input type="hidden" name="_csrf" value="${client.csrfToken}">`);
  });

  it("refuses a POST without the token: 403, nothing done, a log line", async () => {
    const client = await signedIn();
    const before = await sessionsOf();
    const stderr = vi.spyOn(process.stderr, "write");
    const answer = await client.post("/console/logout", {}, { csrf: null });
    const lines = stderr.mock.calls.map((c) => String(c[0]));
    stderr.mockRestore();
    expect(answer.status).toBe(403);
    const line = JSON.parse(lines.find((l) => l.includes("CSRF"))!);
    expect(line).toMatchObject({ level: "warn", path: "/console/logout", reason: "missing token", user: "demo-admin" });
    expect(lines.join("")).not.toContain(client.csrfToken!);
    expect(answer.text).toContain("Yêu cầu bị từ chối");
    expect(await sessionsOf()).toBe(before);
    expect((await client.get("/console/")).status).toBe(200);
  });

  it("refuses a wrong token, and another session's token", async () => {
    const client = await signedIn();
    const other = await signedIn();
    expect((await client.post("/console/admin/users", { username: "csrf-victim", role: "operator" }, { csrf: "x".repeat(43) })).status).toBe(403);
    expect((await client.post("/console/admin/users", { username: "csrf-victim", role: "operator" }, { csrf: other.csrfToken })).status).toBe(403);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM ConsoleUser WHERE username = 'csrf-victim'`)).toBe(0);
  });

  it("accepts the token in an x-csrf-token header (fetch calls)", async () => {
    const client = await signedIn();
    const answer = await client.request("POST", "/console/locale", { json: { lang: "en" }, headers: { "x-csrf-token": client.csrfToken! } });
    expect(answer.status).toBe(303);
    expect((await client.get("/console/")).text).toContain('<html lang="en">');
    const refused = await client.request("POST", "/console/locale", { json: { lang: "vi" }, headers: { "x-csrf-token": "wrong" } });
    expect(refused.status).toBe(403);
  });

  it("refuses a request from another site by its Origin or Referer, even with the right token", async () => {
    const client = await signedIn();
    const form = { username: "csrf-victim", role: "operator" };
    expect((await client.post("/console/admin/users", form, { headers: { origin: "https://evil.example" } })).status).toBe(403);
    expect((await client.post("/console/admin/users", form, { headers: { origin: "null" } })).status).toBe(403);
    expect((await client.post("/console/admin/users", form, { headers: { referer: "https://evil.example/page" } })).status).toBe(403);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM ConsoleUser WHERE username = 'csrf-victim'`)).toBe(0);
    // The console's own origin passes.
    const ok = await client.post("/console/locale", { lang: "vi", back: "/console/" }, { headers: { origin: server.baseUrl, referer: `${server.baseUrl}/console/` } });
    expect(ok.status).toBe(303);
  });

  it("protects the login form too (login CSRF)", async () => {
    const client = new ConsoleClient(server.baseUrl);
    await client.get("/console/login");
    const noToken = await client.request("POST", "/console/login", { form: { username: DEMO.admin.username, password: DEMO.admin.password } });
    expect(noToken.status).toBe(403);
    const wrong = await client.request("POST", "/console/login", { form: { username: DEMO.admin.username, password: DEMO.admin.password, _csrf: "y".repeat(43) } });
    expect(wrong.status).toBe(403);
    const foreign = await new ConsoleClient(server.baseUrl).request("POST", "/console/login", {
      form: { username: DEMO.admin.username, password: DEMO.admin.password, _csrf: "z" },
      headers: { origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
    expect([noToken, wrong, foreign].every((a) => !a.setCookies.some((c) => c.startsWith("ansinh_console=")))).toBe(true);
  });
});

describe("failed logins", () => {
  it("wait longer after each failure: 0, 0, 1 s, 2 s, 4 s … at most 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 12].map((n) => failedLoginDelayMs(n))).toEqual([0, 0, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it("lock the account after 5 failures for CONSOLE_LOCK_MINUTES, even for the right password, then let it in again", async () => {
    await addConsoleUser(sql(), { username: "clumsy", role: "operator", password: "the right password" });
    delays.length = 0;
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) {
      // A different address each time: the count follows the username.
      const answer = await new ConsoleClient(server.baseUrl, { forwardedFor: `10.3.0.${i}` }).submitLogin("clumsy", `wrong ${i}`);
      statuses.push(answer.status);
      if (i === 5) expect(answer.text).toContain("Đăng nhập sai quá nhiều lần. Hãy thử lại sau 15 phút.");
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(delays).toEqual([0, 0, 1000, 2000, 4000]);
    const row = (await sql().get(`SELECT failedLogins, lockedUntil FROM ConsoleUser WHERE username = 'clumsy'`)) as { failedLogins: number; lockedUntil: string };
    expect(row.failedLogins).toBe(5);
    expect(new Date(row.lockedUntil).getTime()).toBe(now.getTime() + 15 * 60_000);

    const whileLocked = await new ConsoleClient(server.baseUrl, { forwardedFor: "10.3.1.1" }).submitLogin("clumsy", "the right password");
    expect(whileLocked.status).toBe(429);
    expect(whileLocked.setCookies.some((c) => c.startsWith("ansinh_console="))).toBe(false);

    now = new Date(now.getTime() + 14 * 60_000);
    expect((await new ConsoleClient(server.baseUrl, { forwardedFor: "10.3.1.2" }).submitLogin("clumsy", "the right password")).text).toContain("1 phút");
    now = new Date(now.getTime() + 61_000);
    const after = await new ConsoleClient(server.baseUrl, { forwardedFor: "10.3.1.3" }).submitLogin("clumsy", "the right password");
    expect(after.status).toBe(303);
    expect(await sqlValue(sql(), `SELECT failedLogins FROM ConsoleUser WHERE username = 'clumsy'`)).toBe(0);

    const audits = await sql().all(`SELECT action, actorId FROM AuditLog WHERE entity = 'ConsoleUser' AND actorId = 'clumsy' AND action LIKE 'console.login%' ORDER BY id`);
    expect(audits.map((a) => (a as { action: string }).action)).toEqual([
      "console.login_failed",
      "console.login_failed",
      "console.login_failed",
      "console.login_failed",
      "console.login_locked",
      "console.login",
    ]);
  });

  it("lock a username that does not exist the same way, so the page does not tell which names exist", async () => {
    const answers = [];
    for (let i = 1; i <= 6; i++) answers.push(await new ConsoleClient(server.baseUrl, { forwardedFor: `10.4.0.${i}` }).submitLogin("no-such-person", "whatever it is"));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 429, 429]);
    expect(answers[5].text).toContain("Đăng nhập sai quá nhiều lần");
  });

  it("slow down and then refuse one address trying many usernames", async () => {
    delays.length = 0;
    const statuses: number[] = [];
    for (let i = 1; i <= 21; i++) statuses.push((await new ConsoleClient(server.baseUrl, { forwardedFor: "10.5.5.5" }).submitLogin(`guess-${i}`, "password1234")).status);
    expect(delays.slice(0, 5)).toEqual([0, 0, 1000, 2000, 4000]);
    expect(statuses.slice(0, 19).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(19)).toEqual([429, 429]);
    // The right password of a real account is refused from that address while it is locked, not from others.
    expect((await new ConsoleClient(server.baseUrl, { forwardedFor: "10.5.5.5" }).submitLogin(DEMO.operator.username, DEMO.operator.password)).status).toBe(429);
    expect((await new ConsoleClient(server.baseUrl, { forwardedFor: "10.5.5.6" }).submitLogin(DEMO.operator.username, DEMO.operator.password)).status).toBe(303);
  });

  it("never write a password to the audit log", async () => {
    const all = JSON.stringify((await sql().all(`SELECT * FROM AuditLog`)));
    for (const secret of ["the right password", "wrong 1", "whatever it is", "password1234", DEMO.admin.password]) expect(all).not.toContain(secret);
  });
});
