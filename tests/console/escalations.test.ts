import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { startTelegramTest, textOf, waitFor, type TelegramTest, type TelegramUser } from "../channels/telegram/telegramTestKit.ts";
import { addConsoleUser, ConsoleClient, DEMO, sqlValue } from "../helpers/consoleClient.ts";
import { UssdCaller } from "../helpers/testServer.ts";

// The operator inbox over real HTTP: people ask for a person on Telegram and USSD, operators work
// the escalations in the console, and the replies leave through the real outbox to the fake Bot API.
let test: TelegramTest;
let operator: ConsoleClient;
let minh: ConsoleClient;
let nextTelegramId = 8100;

beforeAll(async () => {
  // The outbox must not wait for morning whatever the hour the test runs at.
  test = await startTelegramTest({ config: { outbox: { quietHours: "00:00-00:00", workers: 1, leaseSeconds: 60, maxAttempts: 3, pollMs: 1000 } } });
  await addConsoleUser(sql(), { username: "minh", role: "operator", password: "minh-password-1", displayName: "Trần Văn Minh" });
  operator = await as(DEMO.operator);
  minh = await as({ username: "minh", password: "minh-password-1" });
});
afterAll(async () => {
  await test.close();
});

const sql = () => test.server.services.db.sql;
const baseUrl = () => test.server.baseUrl;
const OPERATOR_NAME = "Tổng đài viên (DEMO) (demo-operator)";

async function as(account: { username: string; password: string }): Promise<ConsoleClient> {
  const client = new ConsoleClient(baseUrl());
  await client.login(account.username, account.password);
  return client;
}

/** A new Telegram user who identifies as Đinh Thị Mai (DEMO) and asks for a person with "6" on the main menu. */
async function askOnTelegram(): Promise<{ user: TelegramUser; id: number }> {
  const user = test.user(nextTelegramId++);
  await user.identifyByCitizenId();
  await user.press("6");
  const [recorded] = await user.press("1");
  expect(textOf(recorded)).toContain("Cán bộ sẽ trả lời bạn tại đây");
  const id = (await sqlValue(sql(), `SELECT id FROM Escalation WHERE channel = 'telegram' AND externalId = ? ORDER BY id DESC`, [String(user.id)])) as number;
  return { user, id };
}

async function askOnUssd(phone: string): Promise<{ caller: UssdCaller; id: number }> {
  const caller = new UssdCaller(baseUrl(), phone);
  await caller.freshDial();
  await caller.press("6");
  expect((await caller.press("1")).end).toBe(true);
  const id = (await sqlValue(sql(), `SELECT id FROM Escalation WHERE channel = 'ussd' AND externalId = ? ORDER BY id DESC`, [phone])) as number;
  return { caller, id };
}

/** The tab's count as the page shows it. */
function tabCount(page: string, label: string): number {
  const match = new RegExp(`${label} <span class="count">(\\d+)</span>`).exec(page);
  if (!match) throw new Error(`no tab "${label}" with a count`);
  return Number(match[1]);
}

/** The text of the page with the tags taken out (entities kept). */
const plain = (page: string) => page.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

const status = async (id: number) => (await sql().get(`SELECT status, assignedTo FROM Escalation WHERE id = ?`, [id])) as { status: string; assignedTo: string | null };

describe("the queues", () => {
  it("show new escalations from Telegram and USSD, the longest waiting first with the wait in human units, counted in the tabs", async () => {
    const telegram = await askOnTelegram();
    const ussd = await askOnUssd("+84912345678");
    // The Telegram request has waited two hours and five minutes.
    await sql().run(`UPDATE Escalation SET createdAt = ? WHERE id = ?`, [sqlTimestamp(new Date(Date.now() - (2 * 60 + 5) * 60_000 - 10_000)), telegram.id]);

    const page = await operator.get("/console/escalations");
    expect(page.status).toBe(200);
    const rows = [...page.text.matchAll(/<tr data-escalation="(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => ({ id: Number(m[1]), text: plain(m[2]) }));
    const ids = rows.map((r) => r.id);
    expect(ids).toContain(telegram.id);
    expect(ids).toContain(ussd.id);
    expect(ids.indexOf(telegram.id)).toBeLessThan(ids.indexOf(ussd.id));
    const telegramRow = rows.find((r) => r.id === telegram.id)!.text;
    expect(telegramRow).toContain("Đinh Thị Mai (DEMO)");
    expect(telegramRow).toContain("Telegram");
    expect(telegramRow).toContain("2 giờ 5 phút");
    const ussdRow = rows.find((r) => r.id === ussd.id)!.text;
    expect(ussdRow).toContain("Nguyễn Văn An (DEMO)");
    expect(ussdRow).toContain("dưới 1 phút");

    const open = (await sqlValue(sql(), `SELECT COUNT(*) FROM Escalation WHERE status = 'open'`)) as number;
    expect(tabCount(page.text, "Chưa ai nhận")).toBe(open);
    expect(tabCount(page.text, "Của tôi")).toBe(0);
    expect(tabCount(page.text, "Tất cả")).toBe(open);

    // The same list in English, with English units.
    const english = await as(DEMO.operator);
    await english.post("/console/locale", { lang: "en", back: "/console/escalations" });
    const en = await english.get("/console/escalations");
    expect(plain(en.text)).toContain("2 hours 5 minutes");
    expect(tabCount(en.text, "Unassigned")).toBe(open);
  });

  it("answer a bad tab or page with 400, an unknown or malformed id with 404", async () => {
    expect((await operator.get("/console/escalations?tab=everything")).status).toBe(400);
    expect((await operator.get("/console/escalations?page=0")).status).toBe(400);
    expect((await operator.get("/console/escalations/queue?tab=x")).status).toBe(400);
    expect((await operator.get("/console/escalations/abc")).status).toBe(404);
    expect((await operator.get("/console/escalations/999999")).status).toBe(404);
    expect((await operator.get("/console/escalations/999999/live")).status).toBe(404);
    expect((await operator.post("/console/escalations/999999/claim")).status).toBe(404);
    const badCursor = await operator.get("/console/escalations/changes?cursor=not-a-cursor");
    expect(badCursor.status).toBe(400);
    expect(JSON.parse(badCursor.text).error).toMatch(/not a cursor/);
  });

  it("are for operators and admins: commune staff get 403 on every page of the area", async () => {
    const staff = await as(DEMO.staffBacSon);
    const { id } = await askOnTelegram();
    for (const path of ["/console/escalations", "/console/escalations/events", "/console/escalations/changes", `/console/escalations/${id}`, `/console/escalations/${id}/live`]) {
      expect((await staff.get(path)).status, path).toBe(403);
    }
    expect((await staff.post(`/console/escalations/${id}/claim`)).status).toBe(403);
    expect((await status(id)).status).toBe("open");
    const admin = await as(DEMO.admin);
    expect((await admin.get(`/console/escalations/${id}`)).status).toBe(200);
    // Nobody signed in: to the login page, the event stream too.
    const anonymous = await new ConsoleClient(baseUrl()).get("/console/escalations/events");
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toMatch(/^\/console\/login\?/);
  });
});

describe("an escalation's page", () => {
  it("is claimed by one operator; a second operator is told who has it and cannot act on it", async () => {
    const { id } = await askOnTelegram();
    const before = await operator.get(`/console/escalations/${id}`);
    expect(before.status).toBe(200);
    expect(before.text).toContain(`action="/console/escalations/${id}/claim"`);
    expect(before.text).not.toContain(`action="/console/escalations/${id}/reply"`);

    const claimed = await operator.post(`/console/escalations/${id}/claim`);
    expect(claimed.status).toBe(303);
    expect(claimed.location).toBe(`/console/escalations/${id}?notice=escalation_claimed`);
    const after = await operator.get(claimed.location!);
    expect(after.text).toContain("Bạn đã nhận xử lý yêu cầu.");
    expect(after.text).toContain(`action="/console/escalations/${id}/reply"`);
    expect(after.text).toContain(`action="/console/escalations/${id}/hand-back"`);
    expect(await status(id)).toEqual({ status: "claimed", assignedTo: "demo-operator" });

    const refused = await minh.post(`/console/escalations/${id}/claim`);
    expect(refused.status).toBe(409);
    expect(plain(refused.text)).toContain(`Yêu cầu này đã được ${OPERATOR_NAME} nhận xử lý.`);
    expect(refused.text).not.toContain(`action="/console/escalations/${id}/reply"`);
    const page = await minh.get(`/console/escalations/${id}`);
    expect(plain(page.text)).toContain(`${OPERATOR_NAME} đã nhận xử lý yêu cầu này`);

    // Only the claimer may reply, hand back or resolve; the desk says no, and nothing goes out.
    const reply = await minh.post(`/console/escalations/${id}/reply`, { text: "Tôi trả lời thay" });
    expect(reply.status).toBe(409);
    expect(reply.text).toContain("Tôi trả lời thay"); // the words are given back, not lost
    expect((await minh.post(`/console/escalations/${id}/hand-back`)).status).toBe(409);
    expect((await minh.post(`/console/escalations/${id}/resolve`, { reason: "không phải của tôi" })).status).toBe(409);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM OutboxMessage WHERE kind = 'operator_reply' AND externalId = (SELECT externalId FROM Escalation WHERE id = ?)`, [id])).toBe(0);
    expect(await status(id)).toEqual({ status: "claimed", assignedTo: "demo-operator" });
  });

  it("sends a reply through the person's Telegram chat (via the outbox) and shows its delivery; a note is never sent", async () => {
    const { user, id } = await askOnTelegram();
    await operator.post(`/console/escalations/${id}/claim`);
    const replied = await operator.post(`/console/escalations/${id}/reply`, { text: "Chào chị Mai, tiền tháng 12 về ngày 06/12." });
    expect(replied.status).toBe(303);
    const pending = await operator.get(`/console/escalations/${id}`);
    expect(pending.text).toContain("Gửi tới người dân qua Telegram.");
    expect(pending.text).toMatch(/Tổng đài viên \(DEMO\) \(demo-operator\) trả lời[\s\S]*?Đang chờ gửi[\s\S]*?Chào chị Mai, tiền tháng 12 về ngày 06\/12\./);

    const sentBefore = test.fake.delivered(user.id).length;
    expect((await test.server.services.outbox.drain()).sent).toBe(1);
    const [answer] = test.fake.delivered(user.id).slice(sentBefore);
    expect(answer.method).toBe("sendMessage");
    expect(textOf(answer)).toBe("Cán bộ trả lời: Chào chị Mai, tiền tháng 12 về ngày 06/12.");
    const sent = await operator.get(`/console/escalations/${id}/live`);
    expect(sent.text).toMatch(/delivery-sent">Đã gửi</);

    const noted = await operator.post(`/console/escalations/${id}/note`, { text: "Đã gọi ngân hàng VietinBank" });
    expect(noted.status).toBe(303);
    await test.server.services.outbox.drain();
    expect(test.fake.delivered(user.id).length).toBe(sentBefore + 1);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM OutboxMessage WHERE text LIKE '%VietinBank%'`)).toBe(0);
    const page = await operator.get(`/console/escalations/${id}`);
    expect(plain(page.text)).toContain("Ghi chú nội bộ của Tổng đài viên (DEMO) (demo-operator)");
    expect(page.text).toContain("Đã gọi ngân hàng VietinBank");
    // The person, their payments and method, masked.
    expect(page.text).toContain("VietinBank ***4567");
    expect(page.text).not.toContain("106001234567");
    expect(page.text).not.toContain("020190003333");
    expect(plain(page.text)).toContain("12/2026");
    // Any operator may add a note, even to an escalation another holds.
    expect((await minh.post(`/console/escalations/${id}/note`, { text: "Tôi biết chị này" })).status).toBe(303);
    // Viewing the page is audited, as a person's page is.
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM AuditLog WHERE action = 'escalation.viewed' AND entityId = ? AND actorId = 'demo-operator'`, [String(id)])).toBeGreaterThan(0);
  });

  it("resolves only with a reason (400 without, the reason field marked), then lists it under resolved", async () => {
    const { id } = await askOnTelegram();
    await operator.post(`/console/escalations/${id}/claim`);
    const missing = await operator.post(`/console/escalations/${id}/resolve`, { reason: "   " });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("Hãy ghi lý do giải quyết (tối đa 500 ký tự).");
    expect(missing.text).toMatch(/id="resolve-reason"[^>]*aria-invalid="true"/);
    expect((await operator.post(`/console/escalations/${id}/resolve`, {})).status).toBe(400);
    // Two reasons in one form is not one reason.
    expect((await operator.post(`/console/escalations/${id}/resolve`, { reason: ["a", "b"] })).status).toBe(400);
    expect((await status(id)).status).toBe("claimed");
    const emptyReply = await operator.post(`/console/escalations/${id}/reply`, { text: "" });
    expect(emptyReply.status).toBe(400);
    expect(emptyReply.text).toMatch(/id="reply-text"[^>]*aria-invalid="true"/);

    const resolved = await operator.post(`/console/escalations/${id}/resolve`, { reason: "Đã giải thích lịch chi trả" });
    expect(resolved.status).toBe(303);
    expect((await status(id)).status).toBe("resolved");
    const list = await operator.get("/console/escalations?tab=resolved");
    const row = new RegExp(`<tr data-escalation="${id}">([\\s\\S]*?)</tr>`).exec(list.text)![1];
    expect(plain(row)).toContain("Đã giải quyết (Tổng đài viên (DEMO) (demo-operator))");
    expect(row).toContain("Đã giải thích lịch chi trả");
    expect((await operator.post(`/console/escalations/${id}/reply`, { text: "còn gì nữa không?" })).status).toBe(409);
  });

  it("hands back to the bot: the bot answers the person again and the page says so", async () => {
    const { user, id } = await askOnTelegram();
    await operator.post(`/console/escalations/${id}/claim`);
    const [held] = await user.say("Cho em hỏi");
    expect(textOf(held)).toContain("Cán bộ đang trả lời bạn");
    expect((await operator.post(`/console/escalations/${id}/hand-back`)).status).toBe(303);
    const page = await operator.get(`/console/escalations/${id}`);
    expect(plain(page.text)).toContain("Bot đang trả lời (người xử lý: Tổng đài viên (DEMO) (demo-operator))");
    expect(plain(page.text)).toContain("Tổng đài viên (DEMO) (demo-operator) đã trả lại cho bot.");
    expect((await operator.post(`/console/escalations/${id}/hand-back`)).status).toBe(409);
    const [bot] = await user.say("00");
    expect(textOf(bot)).toContain("AnSinh - Đinh Thị Mai (DEMO)");
  });

  it("escapes whatever the person typed", async () => {
    const { user, id } = await askOnTelegram();
    await operator.post(`/console/escalations/${id}/claim`);
    await user.say(`<script>alert("x")</script><img src=x onerror=alert(1)>`);
    for (const path of [`/console/escalations/${id}`, `/console/escalations/${id}/live`]) {
      const page = await operator.get(path);
      expect(page.text).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
      expect(page.text).not.toContain("<script>alert");
      expect(page.text).not.toContain("<img src=x");
    }
  });

  it("refuses a form without the CSRF token (403) and changes nothing", async () => {
    const { id } = await askOnTelegram();
    expect((await operator.post(`/console/escalations/${id}/claim`, {}, { csrf: null })).status).toBe(403);
    expect((await operator.post(`/console/escalations/${id}/claim`, {}, { csrf: "wrong" })).status).toBe(403);
    expect(await status(id)).toEqual({ status: "open", assignedTo: null });
  });

  it("tells the operator a USSD reply waits for the person's next dial, and shows when it was shown", async () => {
    const { caller, id } = await askOnUssd("+84388999000");
    await operator.post(`/console/escalations/${id}/claim`);
    const page = await operator.get(`/console/escalations/${id}`);
    expect(page.text).toContain("Người này dùng USSD: không thể gửi ngay, câu trả lời sẽ hiện khi họ gọi lại lần tới.");
    await operator.post(`/console/escalations/${id}/reply`, { text: "Bac Son oi, tien ve ngay 06/12." });
    await test.server.services.outbox.drain();
    expect((await operator.get(`/console/escalations/${id}/live`)).text).toContain("Sẽ hiện khi người dân gọi lại");
    expect((await caller.dial()).screen).toContain("Can bo tra loi: Bac Son oi, tien ve ngay 06/12.");
    expect((await operator.get(`/console/escalations/${id}/live`)).text).toContain("Đã hiện khi người dân gọi lại");
    // The phone is masked wherever the page shows it.
    expect(page.text).not.toContain("388999000");
  });
});

describe("live updates", () => {
  /** Opens the event stream as `client`; the events as they come, until `close()`. */
  async function openStream(client: ConsoleClient) {
    const abort = new AbortController();
    const response = await fetch(`${baseUrl()}/console/escalations/events`, {
      headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    let buffer = "";
    const events: { event: string; data: Record<string, unknown> }[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
          }
        }
      } catch {
        // aborted
      }
    })();
    return {
      response,
      events,
      async close() {
        abort.abort();
        await reading;
      },
    };
  }

  it("streams an event, with ids only, when a person writes while an operator holds the conversation; the subscription ends with the stream", async () => {
    const hub = test.server.services.escalations.events;
    const listenersBefore = hub.listenerCount("escalation.message");
    const stream = await openStream(operator);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      await waitFor(() => hub.listenerCount("escalation.message") === listenersBefore + 1, "the stream to subscribe");

      const { user, id } = await askOnTelegram();
      await waitFor(() => stream.events.find((e) => e.data.type === "escalation.created" && e.data.id === id), "the created event", 5_000);
      await operator.post(`/console/escalations/${id}/claim`);
      await user.say("Em chưa nhận được tiền, số tài khoản 106001234567");
      const message = await waitFor(() => stream.events.find((e) => e.data.type === "escalation.message" && e.data.id === id && e.data.kind === "person"), "the person's message event", 5_000);
      expect(message.event).toBe("escalation");
      expect(Object.keys(message.data).sort()).toEqual(["id", "kind", "messageId", "type"]);
      expect(JSON.stringify(stream.events)).not.toMatch(/chưa nhận|106001234567|Mai|communeId/);
    } finally {
      await stream.close();
    }
    await waitFor(() => hub.listenerCount("escalation.message") === listenersBefore, "the subscription to end");
  });

  it("gives a polling page the ids changed since its cursor", async () => {
    const first = JSON.parse((await operator.get("/console/escalations/changes")).text) as { cursor: string; ids: number[] };
    // The queue page carries the cursor of the latest change.
    const page = await operator.get("/console/escalations");
    const cursor = /data-live-cursor="([^"]+)"/.exec(page.text)![1];
    expect(JSON.parse((await operator.get(`/console/escalations/changes?cursor=${cursor}`)).text)).toEqual({ cursor, ids: [] });
    const { id } = await askOnTelegram();
    const changed = JSON.parse((await operator.get(`/console/escalations/changes?cursor=${cursor}`)).text) as { cursor: string; ids: number[] };
    expect(changed.ids).toEqual([id]);
    expect(changed.cursor).not.toBe(cursor);
    expect(first.ids.length).toBeGreaterThan(0);
  });

  it("serves the parts a page refreshes: the queue with its tabs, and an escalation's conversation", async () => {
    const { id } = await askOnTelegram();
    const queue = await operator.get("/console/escalations/queue?tab=unassigned");
    expect(queue.status).toBe(200);
    expect(queue.text).not.toContain("<html");
    expect(queue.text).toContain(`<tr data-escalation="${id}">`);
    expect(tabCount(queue.text, "Chưa ai nhận")).toBeGreaterThan(0);
    const live = await operator.get(`/console/escalations/${id}/live`);
    expect(live.status).toBe(200);
    expect(live.text).not.toContain("<html");
    expect(live.text).toContain("Gửi yêu cầu gặp cán bộ?");
  });
});
