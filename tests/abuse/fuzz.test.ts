import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { USSD_GATEWAYS } from "../../src/channels/ussd/gateways/index.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { startFakeZaloServer, type FakeZaloServer } from "../helpers/fakeZaloServer.ts";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { ConsoleClient, DEMO, signedIn } from "../helpers/consoleClient.ts";
import { zaloConfig, ZALO_TEST_SECRET, ZALO_TEST_TOKEN } from "../channels/zalo/zaloPerson.ts";

/**
 * Thousands of generated malformed requests to every public endpoint. The generator is seeded,
 * with a fixed seed by default so that every run (and CI) sends the same requests and a failure is
 * the code's, not the draw's; FUZZ_SEED=… draws another sequence (FUZZ_SEED=random: a new one each
 * run) and FUZZ_COUNT=… changes how many. The seed is printed, and a failure names it and the request. What is expected of each kind of request is written next to it (`expect`):
 *
 * - "reject": a 4xx (or, for the console, a 3xx to the login page or back to a form); nothing in
 *   the database may change but the audit rows of failed logins (and the sessions' last-seen time).
 * - "accept": a well-formed request whose content is hostile (USSD text, a chat message holding
 *   markup, SQL or a 10,000-digit number): the endpoint answers it as it answers anyone (2xx); it
 *   may write what such a request writes (a session, an inbound update, a message log row).
 *
 * - "any": a request that may be well-formed or not depending on what was drawn (a form field that
 *   only reads as text, "null"; a session id of odd characters; a console form, signed in with its
 *   token, that shows the form again with what is wrong): a 2xx or a 4xx (or 3xx for the console).
 *
 * Never a 5xx, never a dropped connection, never a hang; a normal request is answered right after.
 */

const DEFAULT_SEED = 20261206;
const SEED = process.env.FUZZ_SEED === "random" ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_400);
// The work is bounded (COUNT requests); the limit only catches a hang. About 25 s on a quiet 2-core
// machine, several times that when other suites share the cores.
const HANG_LIMIT_MS = 240_000;
const TELEGRAM_SECRET = "fuzz-telegram-secret_1";
const POOL = 8;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const HOSTILE = [
  "' OR '1'='1",
  "'; DROP TABLE Beneficiary; --",
  "1; DELETE FROM AuditLog",
  "\" OR \"\"=\"",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  "{{7*7}}${7*7}<%= 7*7 %>",
  "../../../../etc/passwd",
  "%00%0d%0aSet-Cookie: x=1",
  "\u0000\u0001\u0002\u001b[31m\u007f",
  "\r\nX-Injected: 1",
  "\u202e\u200b\ufeff\ud800",
  "🙂".repeat(50),
  "9".repeat(10_000),
  "-".concat("1".repeat(10_000)),
  "1e999999",
  "NaN",
  "__proto__",
  "constructor",
  "*".repeat(500),
  "1*2*3*".repeat(300),
  "",
  " ",
];

function randomBytes(rng: Rng, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = rng.int(256);
  return bytes;
}

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, surrogates, 0xFF. */
function invalidUtf8(rng: Rng): Uint8Array {
  const pieces = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x28, 0xa1]];
  const out: number[] = [...Buffer.from(rng.pick(["text=", "sessionId=", '{"text":"', "username="]))];
  for (let i = 0; i < 1 + rng.int(20); i++) out.push(...rng.pick(pieces), ...Buffer.from(rng.pick(["a", "1", "=", "&", '"'])));
  return Uint8Array.from(out);
}

function deepJson(rng: Rng): string {
  const depth = rng.pick([1000, 10_000, 30_000]);
  return rng.chance(0.5) ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(Math.min(depth, 5000)) + "1" + "}".repeat(Math.min(depth, 5000));
}

function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 7 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, 2 ** 53 + 1, 1e308, -0, Number.MAX_SAFE_INTEGER]);
    case 3:
    case 4:
      return rng.pick(HOSTILE);
    case 5:
      return Buffer.from(randomBytes(rng, rng.int(40))).toString("latin1");
    case 6:
      return String(rng.int(1e9));
    case 7:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: rng.int(5) }, () => [rng.pick(["text", "sessionId", "message", "chat", "id", "from", "__proto__", "x"]), randomValue(rng, depth + 1)]));
  }
}

interface FuzzRequest {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  expect: "reject" | "accept" | "any";
}

const CONTENT_TYPES = [
  "application/x-www-form-urlencoded",
  "application/json",
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/json; charset=latin1",
  "application/x-www-form-urlencoded; charset=utf-16",
  "application/octet-stream",
  "application/json; charset=",
  ";;;",
  "",
];

/** A body that is malformed for every endpoint: a request carrying it must be refused. */
function malformedBody(rng: Rng): { kind: string; body: string | Uint8Array; type: string } {
  switch (rng.int(9)) {
    case 0:
      return { kind: "random bytes", body: randomBytes(rng, rng.int(2000)), type: rng.pick(CONTENT_TYPES) };
    case 1:
      return { kind: "invalid UTF-8", body: invalidUtf8(rng), type: rng.pick(CONTENT_TYPES) };
    case 2:
      return { kind: "deep JSON", body: deepJson(rng), type: "application/json" };
    case 3:
      return { kind: "huge body", body: "a=".concat("x".repeat(rng.pick([70_000, 300_000, 1_500_000]))), type: rng.pick(["application/x-www-form-urlencoded", "application/json"]) };
    case 4:
      return { kind: "broken JSON", body: rng.pick(['{"a":', "{'a':1}", "[1,2,", '{"text":"\\x00"}', "nul", '"just a string"', "123", "1".repeat(10_000), "{".repeat(100)]), type: "application/json" };
    case 5:
      return { kind: "JSON scalar or array", body: JSON.stringify(rng.pick([[randomValue(rng)], 42, "x", null, true])), type: "application/json" };
    case 6:
      return { kind: "wrong content type", body: JSON.stringify({ text: rng.pick(HOSTILE) }), type: rng.pick(["text/plain", "application/xml", "text/html", "image/png"]) };
    case 7:
      return { kind: "too many form fields", body: Array.from({ length: 1000 }, (_, i) => `f${i}=${i}`).join("&"), type: "application/x-www-form-urlencoded" };
    default:
      return { kind: "no body", body: "", type: rng.pick(CONTENT_TYPES) };
  }
}

/** Africa's Talking / Hubtel fields, some missing, mistyped or hostile: refused unless all are well-formed. */
function ussdRequest(rng: Rng, consoleCsrf: string): FuzzRequest {
  const gateway = rng.pick(["", "/africastalking", "/hubtel", "/HUBTEL", "/nope", "/%2e%2e", "/%ff", "/" + "x".repeat(3000)]);
  const known = gateway === "" || USSD_GATEWAYS[decodeURIComponentSafe(gateway.slice(1)).toLowerCase()] !== undefined;
  if (!known || rng.chance(0.35)) {
    const bad = malformedBody(rng);
    return { kind: `ussd ${bad.kind}`, path: `/ussd${gateway}`, headers: { "content-type": bad.type }, body: bad.body, expect: "reject" };
  }
  void consoleCsrf;
  const phone = rng.pick(["+84912000999", "0912000888", "84912000777"]);
  const hubtel = gateway.toLowerCase() === "/hubtel";
  if (rng.chance(0.5)) {
    // A well-formed request whose input is hostile text: the menu answers it (2xx).
    const text = rng.pick(HOSTILE.filter((h) => !/[\u0000-\u001f\u007f]/.test(h))).slice(0, hubtel ? 200 : 2000);
    const body = hubtel
      ? JSON.stringify({ Type: rng.pick(["Initiation", "Response"]), SessionId: `fz-${rng.int(1e6)}`, Mobile: phone, Message: text, ServiceCode: "*384*123#", Sequence: 1 })
      : new URLSearchParams({ sessionId: `fz-${rng.int(1e6)}`, serviceCode: "*384*123#", phoneNumber: phone, text }).toString();
    return { kind: "ussd hostile text", path: `/ussd${gateway}`, headers: { "content-type": hubtel ? "application/json" : "application/x-www-form-urlencoded" }, body, expect: "accept" };
  }
  // A field missing or mistyped, or a control character or a number where a phone goes: refused.
  const fields: Record<string, unknown> = hubtel
    ? { Type: "Response", SessionId: `fz-${rng.int(1e6)}`, Mobile: phone, Message: "1" }
    : { sessionId: `fz-${rng.int(1e6)}`, serviceCode: "*384*123#", phoneNumber: phone, text: "1" };
  const names = Object.keys(fields);
  const target = rng.pick(hubtel ? ["Type", "SessionId", "Mobile", "Message"] : ["sessionId", "phoneNumber", "text"]);
  const broken = rng.int(4);
  if (broken === 0) delete fields[target];
  else if (broken === 1) fields[target] = rng.pick([42, null, ["a", "b"], { x: 1 }, true]);
  else if (broken === 2) fields[target] = target.toLowerCase().includes("session") ? "   " : "\u0000\u001b" + rng.pick(HOSTILE);
  else fields[target] = target === "Type" ? "Explode" : target.toLowerCase().includes("mobile") || target === "phoneNumber" ? rng.pick(["1".repeat(10_000), "abc", "+", "<script>"]) : "\r\n\u0007";
  if (target === "Message" && broken === 1 && fields.Message === null) fields.Message = 7;
  const asJson = hubtel || rng.chance(0.5);
  const body = asJson ? JSON.stringify(fields) : formOf(fields, names);
  // In a form every value is text ("42", "null"), and Hubtel's Message may be left out: those may be well-formed.
  const maybeWellFormed = (!asJson && broken === 1) || (target === "Message" && broken === 0) || (target.toLowerCase().includes("session") && broken === 3);
  return { kind: `ussd ${broken === 0 ? "missing" : "mistyped"} ${target}`, path: `/ussd${gateway}`, headers: { "content-type": asJson ? "application/json" : "application/x-www-form-urlencoded" }, body, expect: maybeWellFormed ? "any" : "reject" };
}

function formOf(fields: Record<string, unknown>, names: string[]): string {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = fields[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(name, String(v));
    else params.append(name, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  return params.toString();
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

let nextUpdateId = 900_000;

function telegramRequest(rng: Rng): FuzzRequest {
  const secret = rng.pick<string | null>([TELEGRAM_SECRET, TELEGRAM_SECRET, TELEGRAM_SECRET, null, "", "wrong", TELEGRAM_SECRET + "x", TELEGRAM_SECRET.toUpperCase(), "\u00e9"]);
  const headers: Record<string, string> = secret === null ? {} : { "x-telegram-bot-api-secret-token": secret };
  if (secret !== TELEGRAM_SECRET) {
    // Forged: refused (401) whatever the body, even a good update.
    const body = rng.chance(0.5) ? JSON.stringify(goodTelegramUpdate(rng)) : malformedBody(rng).body;
    return { kind: "telegram forged secret", path: "/webhooks/telegram", headers: { ...headers, "content-type": "application/json" }, body, expect: "reject" };
  }
  if (rng.chance(0.3)) {
    const update = goodTelegramUpdate(rng);
    return { kind: "telegram hostile message", path: "/webhooks/telegram", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(update), expect: "accept" };
  }
  if (rng.chance(0.5)) {
    const id = rng.pick<unknown>(["1", -5, 1.5, 1e400, null, [], {}, "9".repeat(10_000), 2 ** 60]);
    const raw = JSON.stringify({ update_id: "__ID__", message: randomValue(rng) }).replace('"__ID__"', typeof id === "number" && !Number.isFinite(id) ? "1e400" : JSON.stringify(id));
    return { kind: "telegram mistyped update_id", path: "/webhooks/telegram", headers: { ...headers, "content-type": "application/json" }, body: raw, expect: "reject" };
  }
  const bad = malformedBody(rng);
  return { kind: `telegram ${bad.kind}`, path: "/webhooks/telegram", headers: { ...headers, "content-type": bad.type }, body: bad.body, expect: "reject" };
}

function goodTelegramUpdate(rng: Rng) {
  const chatId = 7_000_000 + rng.int(50);
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: rng.int(1e6),
      date: 1_764_000_000,
      chat: { id: chatId, type: "private" },
      from: { id: chatId, is_bot: false, first_name: rng.pick(HOSTILE).slice(0, 64) || "x" },
      ...(rng.chance(0.8) ? { text: rng.pick(HOSTILE).slice(0, 4096) } : { sticker: { file_id: "x" } }),
    },
  };
}

function zaloRequest(rng: Rng): FuzzRequest {
  const secret = rng.pick<string | null>([ZALO_TEST_SECRET, ZALO_TEST_SECRET, ZALO_TEST_SECRET, null, "", "wrong-secret-123", ZALO_TEST_SECRET.slice(0, -1)]);
  const headers: Record<string, string> = secret === null ? {} : { "x-bot-api-secret-token": secret };
  if (secret !== ZALO_TEST_SECRET) {
    const body = rng.chance(0.5) ? JSON.stringify(goodZaloUpdate(rng)) : malformedBody(rng).body;
    return { kind: "zalo forged secret", path: "/webhooks/zalo", headers: { ...headers, "content-type": "application/json" }, body, expect: "reject" };
  }
  if (rng.chance(0.3)) return { kind: "zalo hostile message", path: "/webhooks/zalo", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(goodZaloUpdate(rng)), expect: "accept" };
  if (rng.chance(0.5)) {
    const update = goodZaloUpdate(rng) as Record<string, unknown> & { message: Record<string, unknown> };
    const target = rng.pick(["event_name", "message", "message.chat", "message.chat.id", "message.message_id", "message.from"]);
    const value = rng.pick<unknown>([undefined, 42, null, [], "9".repeat(10_000), { id: [] }]);
    if (target.startsWith("message.")) {
      const [, field, sub] = target.split(".");
      if (sub) (update.message[field] as Record<string, unknown>)[sub] = value;
      else update.message[field] = value;
    } else update[target] = value;
    if (target === "event_name" && typeof value === "string") update.event_name = 42; // a long string is an event it ignores
    return { kind: `zalo mistyped ${target}`, path: "/webhooks/zalo", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(update), expect: "reject" };
  }
  const bad = malformedBody(rng);
  return { kind: `zalo ${bad.kind}`, path: "/webhooks/zalo", headers: { ...headers, "content-type": bad.type }, body: bad.body, expect: "reject" };
}

function goodZaloUpdate(rng: Rng) {
  const chatId = `fz-${rng.int(50)}`;
  return {
    event_name: "message.text.received",
    message: {
      message_id: `fz-${rng.int(1e9)}-${nextUpdateId++}`,
      date: 1_764_000_000_000,
      from: { id: chatId, display_name: rng.pick(HOSTILE).slice(0, 100), is_bot: false },
      chat: { id: chatId, chat_type: "PRIVATE" },
      text: rng.pick(HOSTILE).slice(0, 2000) || "1",
    },
  };
}

interface ConsoleState {
  loginCookie: string;
  loginToken: string;
  session: ConsoleClient;
}

const CONSOLE_FORMS = ["/console/locale", "/console/password", "/console/broadcasts/preview", "/console/broadcasts/new", "/console/broadcasts", "/console/method-changes/999999/reject", "/console/method-changes/abc/approve", "/console/admin/users", "/console/admin/users/nobody/disable", "/console/logout-not", "/console/escalations/999999/reply"];

function consoleRequest(rng: Rng, state: ConsoleState): FuzzRequest {
  const login = rng.chance(0.4);
  const bad = rng.chance(0.4) ? malformedBody(rng) : null;
  const withToken = rng.chance(0.5);
  const origin = rng.pick<Record<string, string>>([{}, {}, {}, { origin: "https://evil.example" }, { referer: "https://evil.example/x" }, { origin: "null" }]);
  if (login) {
    const fields: Record<string, unknown> = { username: rng.pick(["fuzz-nobody", rng.pick(HOSTILE), "x".repeat(5000), ["a", "b"]]), password: rng.pick(HOSTILE), _csrf: withToken ? state.loginToken : rng.pick(["", "forged", state.loginToken + "x"]) };
    if (rng.chance(0.2)) delete fields[rng.pick(["username", "password", "_csrf"])];
    const headers: Record<string, string> = { ...origin, ...(withToken || rng.chance(0.5) ? { cookie: state.loginCookie } : {}) };
    if (bad) return { kind: `console login ${bad.kind}`, path: "/console/login", headers: { ...headers, "content-type": bad.type }, body: bad.body, expect: "reject" };
    return { kind: "console login hostile fields", path: "/console/login", headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: formOf(fields, Object.keys(fields)), expect: "reject" };
  }
  const path = rng.pick(CONSOLE_FORMS);
  const signedInRequest = rng.chance(0.8);
  const headers: Record<string, string> = { ...origin };
  if (signedInRequest) headers.cookie = [...state.session.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const fields: Record<string, unknown> = {
    _csrf: withToken ? state.session.csrfToken : rng.pick(["", "forged", undefined]),
    text: rng.pick(HOSTILE),
    locale: rng.pick(["xx", "", "<b>", "9".repeat(10_000)]),
    current: rng.pick(HOSTILE),
    password: rng.pick(["short", "", "9".repeat(10_000)]),
    confirm: rng.pick(HOSTILE),
    username: rng.pick(["", "<script>", "a b", "x".repeat(300)]),
    role: rng.pick(["god", "", "admin\u0000"]),
    communes: rng.pick(["999999", "abc", "-1", "1e400"]),
    commune: rng.pick(["999999", "abc", "' OR 1=1 --"]),
    channel: rng.pick(["fax", ""]),
    sendAt: rng.pick(["yesterday", "9999-99-99T99:99", "2020-01-01T00:00"]),
    reason: rng.pick(HOSTILE),
    next: rng.pick(["https://evil.example", "//evil.example", "/console/../../etc"]),
  };
  for (const name of Object.keys(fields)) if (rng.chance(0.3)) delete fields[name];
  if (bad) return { kind: `console form ${bad.kind}`, path, headers: { ...headers, "content-type": bad.type }, body: bad.body, expect: "reject" };
  // Signed in, with the token, from no other site: the form may be shown again with what is wrong (200).
  const genuine = signedInRequest && withToken && fields._csrf !== undefined && Object.keys(origin).length === 0;
  return { kind: `console form ${withToken ? "with" : "without"} token`, path, headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: formOf(fields, Object.keys(fields)), expect: genuine ? "any" : "reject" };
}

function describeRequest(seed: number, index: number, request: FuzzRequest): string {
  const body = typeof request.body === "string" ? request.body : Buffer.from(request.body).toString("base64");
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} chars${typeof request.body === "string" ? "" : ", base64"})` : body;
  return `FUZZ_SEED=${seed} request #${index} (${request.kind}): POST ${request.path.slice(0, 200)} headers=${JSON.stringify(request.headers).slice(0, 300)} body=${JSON.stringify(shown)}`;
}

/** Rows of every table (the migration history aside). */
async function rowCounts(server: TestServer): Promise<Record<string, number>> {
  const sql = server.services.db.sql;
  const tables =
    sql.dialect === "postgres"
      ? await sql.all(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
      : await sql.all(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  const counts: Record<string, number> = {};
  for (const { name } of tables as { name: string }[]) {
    if (name === "_prisma_migrations") continue;
    counts[name] = Number((await sql.get(`SELECT COUNT(*) AS n FROM "${name}"`))!.n);
  }
  return counts;
}

/** Audit rows by action, beyond failed logins (expected from a login fuzz). */
async function auditActions(server: TestServer): Promise<Record<string, number>> {
  const rows = (await server.services.db.sql.all(`SELECT action, COUNT(*) AS n FROM AuditLog GROUP BY action`)) as { action: string; n: number }[];
  return Object.fromEntries(rows.filter((r) => !["console.login_failed", "console.login_locked"].includes(r.action)).map((r) => [r.action, Number(r.n)]));
}

let server: TestServer;
let telegram: FakeTelegramServer;
let zalo: FakeZaloServer;
let state: ConsoleState;

beforeAll(async () => {
  telegram = await FakeTelegramServer.start();
  zalo = await startFakeZaloServer({ token: ZALO_TEST_TOKEN });
  server = await startTestServer({
    config: {
      ...zaloConfig(zalo.url),
      telegram: { token: telegram.token, apiRoot: telegram.apiRoot, webhookSecret: TELEGRAM_SECRET, limits: { perSecond: 1000, perChatPerSecond: 1000, maxRetries: 0, backoffMs: 1 } },
      publicUrl: null,
      console: { ...loadConfig().console, trustProxy: "loopback" },
    },
    http: { console: { loginDelay: async () => {} } },
  });
  const loginPage = await fetch(`${server.baseUrl}/console/login`);
  const loginCookie = loginPage.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const loginToken = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1];
  state = { loginCookie, loginToken, session: await signedIn(server.baseUrl, DEMO.admin) };
});

afterAll(async () => {
  await server?.close();
  await telegram?.close();
  await zalo?.close();
});

describe("fuzzing every public endpoint", () => {
  it(`answers ${COUNT} generated malformed requests with 4xx (or 2xx where well-formed), never 5xx, and keeps rejected ones out of the database`, async () => {
    console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT}`);
    const rng = prng(SEED);
    const all: FuzzRequest[] = [];
    for (let i = 0; i < COUNT; i++) {
      const which = rng.int(10);
      all.push(which < 4 ? ussdRequest(rng, "") : which < 6 ? telegramRequest(rng) : which < 8 ? zaloRequest(rng) : consoleRequest(rng, state));
    }
    // The rejected ones first, on a database that must not change; then the well-formed ones.
    const rejected = all.map((request, index) => ({ request, index })).filter((r) => r.request.expect === "reject");
    const accepted = all.map((request, index) => ({ request, index })).filter((r) => r.request.expect !== "reject");

    const failures: string[] = [];
    const statuses = new Map<string, number>();
    const send = async (items: { request: FuzzRequest; index: number }[]) => {
      let next = 0;
      const worker = async () => {
        while (next < items.length && failures.length < 20) {
          const { request, index } = items[next++];
          let status: number;
          try {
            const response = await fetch(`${server.baseUrl}${request.path}`, {
              method: "POST",
              headers: request.headers,
              body: request.body as BodyInit,
              redirect: "manual",
              signal: AbortSignal.timeout(15_000),
            });
            await response.arrayBuffer().catch(() => undefined);
            status = response.status;
          } catch (error) {
            // A huge body refused before it is all sent may end the connection early: then the answer must have been a 413.
            if (request.kind.endsWith("huge body")) continue;
            failures.push(`${describeRequest(SEED, index, request)} -> ${String((error as Error).cause ?? error)}`);
            continue;
          }
          const key = `${request.kind} ${status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          const refused = (status >= 400 && status < 500) || (request.path.startsWith("/console") && (status === 303 || status === 302));
          const answered = status >= 200 && status < 300;
          const ok = request.expect === "accept" ? answered : request.expect === "reject" ? refused : answered || refused;
          if (!ok) failures.push(`${describeRequest(SEED, index, request)} -> ${status}`);
        }
      };
      await Promise.all(Array.from({ length: POOL }, worker));
    };

    const countsBefore = await rowCounts(server);
    const auditBefore = await auditActions(server);
    const started = Date.now();
    await send(rejected);
    const countsAfterRejected = await rowCounts(server);
    const auditAfterRejected = await auditActions(server);
    await send(accepted);
    const seconds = (Date.now() - started) / 1000;
    console.log(`fuzz: ${rejected.length} to refuse and ${accepted.length} well-formed or either in ${seconds.toFixed(1)} s; answers:\n${[...statuses].sort().map(([k, n]) => `  ${k}: ${n}`).join("\n")}`);

    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(rejected.length + accepted.length).toBeGreaterThanOrEqual(10_000);
    // Nothing a refused request sent landed anywhere (failed logins are audited, as they should be).
    delete countsBefore.AuditLog;
    delete countsAfterRejected.AuditLog;
    expect(countsAfterRejected).toEqual(countsBefore);
    expect(auditAfterRejected).toEqual(auditBefore);

    // Still serving: a caller, a console page, and a login from another address.
    const caller = new UssdCaller(server.baseUrl, "+84912345678");
    const menu = await caller.freshDial();
    expect(menu.status).toBe(200);
    expect(menu.body).toMatch(/^CON /);
    expect((await state.session.get("/console/")).status).toBe(200);
    const fresh = new ConsoleClient(server.baseUrl, { forwardedFor: "203.0.113.9" });
    expect((await fresh.login(DEMO.operator.username, DEMO.operator.password)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    // The accepted chat updates are answered and their answers sent (to the fakes, one a second per
    // chat) before the server closes.
    for (let waited = 0; waited < 30_000; waited += 100) {
      if (Number((await server.services.db.sql.get(`SELECT COUNT(*) AS n FROM InboundUpdate WHERE status IN ('pending', 'answered')`))!.n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // …and every one was handled (a hostile text failing in the conversation would stay pending or fail).
    expect(await server.services.db.sql.all(`SELECT channel, status, lastError FROM InboundUpdate WHERE status <> 'done'`)).toEqual([]);
  }, HANG_LIMIT_MS);
});
