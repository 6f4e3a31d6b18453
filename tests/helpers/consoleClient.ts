import type { Sql, SqlParams } from "../../src/db/sql/sql.ts";
import { createConsoleUser, type ConsoleRole } from "../../src/domain/consoleUsers/consoleUsers.ts";

export interface ConsoleResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The Location header of a redirect (relative to the server). */
  location: string | null;
  /** The raw Set-Cookie headers of this response. */
  setCookies: string[];
}

/**
 * A browser-like HTTP client for the console: keeps cookies, does not follow redirects, and
 * sends the session's CSRF token with every POST unless told otherwise.
 */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrfToken: string | null = null;

  /** `forwardedFor` sets X-Forwarded-For (the test server must trust loopback proxies) to act as another client address. */
  constructor(
    readonly baseUrl: string,
    private readonly options: { forwardedFor?: string } = {},
  ) {}

  async request(method: string, path: string, init: { form?: Record<string, string | string[]>; json?: unknown; headers?: Record<string, string> } = {}): Promise<ConsoleResponse> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (this.options.forwardedFor) headers["x-forwarded-for"] = this.options.forwardedFor;
    let body: string | undefined;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(init.form)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
      body = params.toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers["content-type"] = "application/json";
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: "manual" });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(";");
      const [name, value] = [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()];
      if (attributes.some((a) => /^\s*max-age=0$/i.test(a)) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const meta = /<meta name="csrf-token" content="([^"]*)">/.exec(text);
    if (meta && meta[1]) this.csrfToken = meta[1];
    return { status: response.status, headers: response.headers, text, location: response.headers.get("location"), setCookies };
  }

  get(path: string, headers?: Record<string, string>): Promise<ConsoleResponse> {
    return this.request("GET", path, { headers });
  }

  /** POSTs a form with the session's `_csrf` (unless `csrf` is given, or null to leave it out). */
  post(path: string, form: Record<string, string | string[]> = {}, options: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<ConsoleResponse> {
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    return this.request("POST", path, { form: csrf === null ? form : { ...form, _csrf: csrf ?? "" }, headers: options.headers });
  }

  /** The login form's token (from the page and its cookie), then the POST; returns the POST's answer. */
  async submitLogin(username: string, password: string, extra: Record<string, string> = {}): Promise<ConsoleResponse> {
    const page = await this.get("/console/login");
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (!token) throw new Error("the login page has no _csrf field");
    return this.request("POST", "/console/login", { form: { username, password, _csrf: token, ...extra } });
  }

  /** Logs in and loads the home page (which gives the session's CSRF token); throws when login fails. */
  async login(username: string, password: string): Promise<ConsoleResponse> {
    const answer = await this.submitLogin(username, password);
    if (answer.status !== 303) throw new Error(`login as ${username} failed with ${answer.status}`);
    const landing = await this.get(answer.location!);
    return landing;
  }
}

/** The DEMO console accounts every test server has (see src/demo/demoConsoleAccounts.ts). */
export const DEMO = {
  admin: { username: "demo-admin", password: "demo-admin-pass" },
  operator: { username: "demo-operator", password: "demo-operator-pass" },
  staffBacSon: { username: "demo-staff", password: "demo-staff-pass" },
  staffTrangDinh: { username: "demo-staff-td", password: "demo-staff-td-pass" },
} as const;

/** Creates an account with a known password (no forced change), as `ansinh users add --password-stdin` does. */
export async function addConsoleUser(
  sql: Sql,
  user: { username: string; role: ConsoleRole; password: string; communes?: string[]; displayName?: string },
): Promise<number> {
  const { user: created } = await createConsoleUser(sql, user, { kind: "system", id: "test" });
  return created.id;
}

/** The id of a demo beneficiary by code (DEMO-0001..0003 live in Bắc Sơn, DEMO-0004..0006 in Tràng Định). */
export async function beneficiaryId(sql: Sql, code: string): Promise<number> {
  return (await sqlValue(sql, `SELECT id FROM Beneficiary WHERE code = ?`, [code])) as number;
}

/** The id of a commune by name ("Bắc Sơn", "Tràng Định"). */
export async function communeId(sql: Sql, name: string): Promise<number> {
  return (await sqlValue(sql, `SELECT id FROM Commune WHERE name = ?`, [name])) as number;
}

/** The first column of the first row (undefined without one), as better-sqlite3's `.pluck().get()` gave. */
export async function sqlValue(sql: Sql, text: string, params?: SqlParams): Promise<unknown> {
  const row = await sql.get(text, params);
  return row === undefined ? undefined : Object.values(row)[0];
}

/** The first column of every row, as better-sqlite3's `.pluck().all()` gave. */
export async function sqlValues(sql: Sql, text: string, params?: SqlParams): Promise<unknown[]> {
  return (await sql.all(text, params)).map((row) => Object.values(row)[0]);
}

/** A client signed in as `account` on the server at `baseUrl`. */
export async function signedIn(baseUrl: string, account: { username: string; password: string }): Promise<ConsoleClient> {
  const client = new ConsoleClient(baseUrl);
  await client.login(account.username, account.password);
  return client;
}
