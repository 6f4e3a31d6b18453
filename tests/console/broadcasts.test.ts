import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { addConsoleUser, beneficiaryId, communeId as communeOf, DEMO, signedIn, sqlValue } from "../helpers/consoleClient.ts";
import { addIdentity } from "../broadcasts/broadcastFixture.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { WEBHOOK_SECRET } from "../channels/telegram/telegramTestKit.ts";

// Demo data: DEMO-0001..0003 live in Bắc Sơn, DEMO-0004..0006 in Tràng Định. Bắc Sơn's people
// here: one on Telegram, one on USSD, one who said stop; Tràng Định's: one on Telegram.
const NOW = new Date("2026-12-10T03:00:00Z"); // 10:00 in Vietnam
let server: TestServer;
let telegram: FakeTelegramServer;
const sql = () => server.services.db.sql;
const communeId = (name: string) => communeOf(sql(), name);
const broadcastCount = async () => (await sqlValue(sql(), `SELECT COUNT(*) FROM Broadcast`)) as number;
const as = (account: { username: string; password: string }) => signedIn(server.baseUrl, account);
const main = (text: string) => text.slice(text.indexOf("<main"));
const form = (fields: Partial<Record<"textVi" | "textEn" | "communeIds" | "categories" | "paymentMethods" | "action" | "sendAt", string | string[]>>) => ({
  textVi: "Họp thôn lúc 7h30 sáng thứ Bảy tại nhà văn hóa.",
  textEn: "",
  ...fields,
});

beforeAll(async () => {
  telegram = await FakeTelegramServer.start();
  server = await startTestServer({
    clock: () => NOW,
    config: {
      telegram: { token: telegram.token, apiRoot: telegram.apiRoot, webhookSecret: WEBHOOK_SECRET, limits: { perSecond: 100, perChatPerSecond: 100, maxRetries: 1, backoffMs: 5 } },
      outbox: { quietHours: "00:00-00:00", workers: 1, leaseSeconds: 60, maxAttempts: 3, pollMs: 1000 },
    },
  });
  await addIdentity(sql(), { channel: "telegram", externalId: "81001", beneficiaryId: await beneficiaryId(sql(), "DEMO-0001") });
  await addIdentity(sql(), { channel: "ussd", externalId: "+84912000002", beneficiaryId: await beneficiaryId(sql(), "DEMO-0002") });
  await addIdentity(sql(), { channel: "telegram", externalId: "81003", beneficiaryId: await beneficiaryId(sql(), "DEMO-0003"), remindersOn: false });
  await addIdentity(sql(), { channel: "telegram", externalId: "81004", beneficiaryId: await beneficiaryId(sql(), "DEMO-0004") });
});
afterAll(async () => {
  await server.close();
  await telegram.close();
});

describe("composing and previewing a broadcast", () => {
  it("offers only the staff member's own communes, and previews reach per channel and the USSD length", async () => {
    const staff = await as(DEMO.staffBacSon);
    const compose = await staff.get("/console/broadcasts/new");
    expect(compose.status).toBe(200);
    expect(compose.text).toContain(`name="communeIds" value="${await communeId("Bắc Sơn")}"`);
    expect(compose.text).not.toContain(`name="communeIds" value="${await communeId("Tràng Định")}"`);
    expect(compose.text).not.toContain("Tràng Định");

    const preview = await staff.post("/console/broadcasts/preview", form({ textEn: "Village meeting at 7:30 on Saturday." }));
    expect(preview.status).toBe(200);
    expect(preview.text).toMatch(/data-reach="telegram">1</);
    expect(preview.text).toMatch(/data-reach="ussd">1</);
    expect(preview.text).toMatch(/data-reach="total">2</);
    expect(preview.text).toContain("2 người sẽ nhận (thuộc 3 đối tượng)");
    // The USSD screen, without diacritics, and its length against the screen limit.
    expect(preview.text).toContain("Độ dài trên USSD: 47 ký tự (mỗi màn hình tối đa 160), 1 màn hình");
    expect(preview.text).toMatch(/<pre class="ussd-screen"[^>]*>Tin nhan moi: Hop thon luc 7h30 sang thu Bay tai nha van hoa\./);
    expect(preview.text).toContain("Village meeting at 7:30 on Saturday.");
    // Previewing creates nothing.
    expect(await broadcastCount()).toBe(0);
  });

  it("refuses an empty or too long text with 400, saying why and keeping what was typed", async () => {
    const staff = await as(DEMO.staffBacSon);
    const empty = await staff.post("/console/broadcasts/preview", form({ textVi: "   ", textEn: "Kept English text" }));
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Hãy viết nội dung bằng tiếng Việt");
    expect(empty.text).toContain(">Kept English text</textarea>");
    expect(empty.text).toMatch(/id="textVi"[^>]*aria-invalid="true"/);

    const long = "Thông báo dài. ".repeat(80); // 1200 characters
    const tooLong = await staff.post("/console/broadcasts", form({ textVi: long, action: "send_now" }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain(`Nội dung tiếng Việt dài ${long.trim().length} ký tự: tối đa 1000 ký tự.`);
    expect(tooLong.text).toContain(`>${long}</textarea>`);
    expect(await broadcastCount()).toBe(0);

    const badCategory = await staff.post("/console/broadcasts/preview", form({ categories: "Không có loại này" }));
    expect(badCategory.status).toBe(400);
    expect(badCategory.text).toContain("Loại đối tượng đã chọn không có ở các xã đã chọn.");
    expect((await staff.post("/console/broadcasts/preview", form({ paymentMethods: "gold" }))).status).toBe(400);
    expect((await staff.post("/console/broadcasts", form({ action: "explode" }))).status).toBe(400);
  });

  it("refuses a crafted commune of another commune (or one that does not exist) as not found, and sends nothing", async () => {
    const staff = await as(DEMO.staffBacSon);
    for (const communeIds of [String(await communeId("Tràng Định")), [String(await communeId("Bắc Sơn")), String(await communeId("Tràng Định"))], "99999", "abc"]) {
      const preview = await staff.post("/console/broadcasts/preview", form({ communeIds }));
      expect(preview.status, String(communeIds)).toBe(404);
      const send = await staff.post("/console/broadcasts", form({ communeIds, action: "send_now" }));
      expect(send.status, String(communeIds)).toBe(404);
      expect(send.text).toContain("Không tìm thấy");
    }
    expect(await broadcastCount()).toBe(0);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM OutboxMessage`)).toBe(0);
  });

  it("tells a staff member with no commune yet that they can reach no one (403 with the reason), and creates nothing", async () => {
    // Accounts are created with a commune; one can lose it later (its commune merged away, say).
    const id = await addConsoleUser(server.services.db.sql, { username: "staff-without-commune", role: "staff", password: "a-long-password-1", communes: ["Bắc Sơn"] });
    await server.services.db.sql.run("DELETE FROM ConsoleUserCommune WHERE userId = ?", [id]);
    const staff = await signedIn(server.baseUrl, { username: "staff-without-commune", password: "a-long-password-1" });
    const before = await sqlValue(server.services.db.sql, "SELECT count(*) FROM Broadcast");
    for (const page of [await staff.get("/console/broadcasts/new"), await staff.post("/console/broadcasts/preview", { textVi: "Họp thôn" }), await staff.post("/console/broadcasts", { textVi: "Họp thôn", action: "send_now" })]) {
      expect(page.status).toBe(403);
      expect(page.text).toContain("chưa được gán xã");
    }
    expect(await sqlValue(server.services.db.sql, "SELECT count(*) FROM Broadcast")).toBe(before);
  });

  it("refuses a form without its CSRF token (403) and creates nothing", async () => {
    const staff = await as(DEMO.staffBacSon);
    const answer = await staff.post("/console/broadcasts", form({ action: "send_now" }), { csrf: null });
    expect(answer.status).toBe(403);
    const wrong = await staff.post("/console/broadcasts", form({ action: "send_now" }), { csrf: "not-the-token" });
    expect(wrong.status).toBe(403);
    expect(await broadcastCount()).toBe(0);
  });
});

describe("sending, watching and cancelling", () => {
  it("sends now to the reachable people of the commune only, audited, and shows the progress", async () => {
    const staff = await as(DEMO.staffBacSon);
    const sent = await staff.post("/console/broadcasts", form({ action: "send_now" }));
    expect(sent.status).toBe(303);
    const id = Number(/^\/console\/broadcasts\/(\d+)\?notice=broadcast_sent$/.exec(sent.location!)![1]);
    const queued = await sql().all(`SELECT channel, externalId FROM OutboxMessage WHERE broadcastId = ? ORDER BY channel`, [id]);
    expect(queued).toEqual([
      { channel: "telegram", externalId: "81001" },
      { channel: "ussd", externalId: "+84912000002" },
    ]);
    const detail = await staff.get(sent.location!);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain("Đã bắt đầu gửi thông báo.");
    expect(detail.text).toContain(`data-progress-url="/console/broadcasts/${id}/progress.json"`);
    expect(detail.text).toMatch(/data-cell="telegram.pending">1</);
    expect(detail.text).toMatch(/data-cell="ussd.awaiting">1</);

    await server.services.outbox.drain(); // the Telegram message goes out; the USSD one waits for a dial
    expect(telegram.delivered("81001").map((c) => c.payload.text)).toEqual(["Họp thôn lúc 7h30 sáng thứ Bảy tại nhà văn hóa."]);
    expect(telegram.delivered("81003")).toEqual([]); // said stop
    expect(telegram.delivered("81004")).toEqual([]); // another commune
    const progress = await staff.get(`/console/broadcasts/${id}/progress.json`);
    expect(progress.status).toBe(200);
    const view = JSON.parse(progress.text);
    expect(view).toMatchObject({ status: "sent", statusLabel: "Đã gửi xong", done: true, total: 2 });
    expect(view.cells).toMatchObject({ "telegram.sent": 1, "telegram.pending": 0, "ussd.awaiting": 1, "total.awaiting": 1, "total.failed": 0 });
    expect(view.summary).toBe("Đã tới 1/2 người · 0 lỗi · 1 chờ gọi USSD");

    const actions = await sql().all(`SELECT actorId, action FROM AuditLog WHERE entity = 'Broadcast' AND entityId = ? ORDER BY id`, [String(id)]);
    expect(actions).toEqual([
      { actorId: "demo-staff", action: "broadcast.created" },
      { actorId: "demo-staff", action: "broadcast.sent_now" },
      { actorId: "demo-staff", action: "broadcast.viewed" },
      { actorId: "outbox", action: "broadcast.sent" },
    ]);
    const list = await staff.get("/console/broadcasts");
    expect(list.text).toContain(`href="/console/broadcasts/${id}"`);
    expect(list.text).toContain("Đã gửi xong");
  });

  it("schedules for a later time in Vietnam time, refuses a time that has passed, and cancels", async () => {
    const staff = await as(DEMO.staffBacSon);
    const past = await staff.post("/console/broadcasts", form({ action: "schedule", sendAt: "2026-12-10T09:00" }));
    expect(past.status).toBe(400);
    expect(past.text).toContain("Thời điểm hẹn đã qua");
    expect(past.text).toContain('value="2026-12-10T09:00"');
    expect((await staff.post("/console/broadcasts", form({ action: "schedule", sendAt: "2026-02-30T09:00" }))).status).toBe(400);
    expect((await staff.post("/console/broadcasts", form({ action: "schedule", sendAt: "" }))).status).toBe(400);

    const scheduled = await staff.post("/console/broadcasts", form({ action: "schedule", sendAt: "2026-12-11T08:30" }));
    expect(scheduled.status).toBe(303);
    const id = Number(/\/console\/broadcasts\/(\d+)/.exec(scheduled.location!)![1]);
    const broadcast = (await server.services.broadcasts.get(id, { communeIds: "all" }))!;
    expect(broadcast.status).toBe("scheduled");
    expect(broadcast.scheduledAt!.toISOString()).toBe("2026-12-11T01:30:00.000Z");
    const detail = await staff.get(`/console/broadcasts/${id}`);
    expect(detail.text).toContain("11/12/2026 08:30");
    expect(detail.text).toContain(`action="/console/broadcasts/${id}/cancel"`);

    const cancelled = await staff.post(`/console/broadcasts/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.text).toContain("Đã hủy 2 tin chưa gửi; 0 tin đã tới người nhận; 0 tin đang được gửi đúng lúc hủy.");
    expect(cancelled.text).not.toContain(`action="/console/broadcasts/${id}/cancel"`);
    expect(await sql().all(`SELECT status, COUNT(*) AS n FROM OutboxMessage WHERE broadcastId = ? GROUP BY status`, [id])).toEqual([{ status: "cancelled", n: 2 }]);
    const again = await staff.post(`/console/broadcasts/${id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.text).toContain("Thông báo này không còn tin nào để hủy.");
  });

  it("shows a text containing <script> as text, in the list and on its page", async () => {
    const staff = await as(DEMO.staffBacSon);
    const sent = await staff.post("/console/broadcasts", form({ textVi: `<script>alert(1)</script> "><img src=x onerror=alert(2)>`, action: "send_now" }));
    const detail = await staff.get(sent.location!);
    const list = await staff.get("/console/broadcasts");
    for (const page of [detail, list]) {
      expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.text).not.toContain("<script>alert(1)");
      expect(page.text).not.toContain("<img");
    }
    const preview = await staff.post("/console/broadcasts/preview", form({ textVi: "<script>alert(3)</script>" }));
    expect(preview.text).not.toContain("<script>alert(3)");
    expect(preview.text).toContain('value="&lt;script&gt;alert(3)&lt;/script&gt;"');
  });
});

describe("another commune's broadcast", () => {
  it("cannot be opened, watched or cancelled by Bắc Sơn's staff: the same 404 as one that does not exist", async () => {
    const other = await as(DEMO.staffTrangDinh);
    const sent = await other.post("/console/broadcasts", form({ textVi: "Thông báo của Tràng Định", action: "schedule", sendAt: "2026-12-12T08:00" }));
    expect(sent.status).toBe(303);
    const id = Number(/\/console\/broadcasts\/(\d+)/.exec(sent.location!)![1]);
    expect((await other.get(`/console/broadcasts/${id}`)).status).toBe(200);

    const staff = await as(DEMO.staffBacSon);
    const opened = await staff.get(`/console/broadcasts/${id}`);
    const missing = await staff.get("/console/broadcasts/999999");
    expect(opened.status).toBe(404);
    expect(main(opened.text)).toBe(main(missing.text));
    expect(opened.text).not.toContain("Tràng Định");
    expect((await staff.get(`/console/broadcasts/${id}/progress.json`)).status).toBe(404);
    expect((await staff.get("/console/broadcasts/abc")).status).toBe(404);
    expect((await staff.post(`/console/broadcasts/${id}/cancel`)).status).toBe(404);
    expect((await server.services.broadcasts.get(id, { communeIds: "all" }))!.status).toBe("scheduled");
    expect((await staff.get("/console/broadcasts")).text).not.toContain("Thông báo của Tràng Định");
    // An admin sees it.
    expect((await (await as(DEMO.admin)).get(`/console/broadcasts/${id}`)).status).toBe(200);
  });

  it("is not reachable for an operator (403)", async () => {
    const operator = await as(DEMO.operator);
    expect((await operator.get("/console/broadcasts/new")).status).toBe(403);
    expect((await operator.post("/console/broadcasts", form({ action: "send_now" }))).status).toBe(403);
  });
});
