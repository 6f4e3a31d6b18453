import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { beneficiaryId, DEMO, signedIn, sqlValue } from "../helpers/consoleClient.ts";
import { createRequest, statusOf } from "../exports/methodChangeFixture.ts";
import { addIdentity } from "../broadcasts/broadcastFixture.ts";

// Demo data: DEMO-0001..0003 live in Bắc Sơn, DEMO-0004..0006 in Tràng Định. Three requests:
// An (DEMO-0001, Bắc Sơn) wants his money in a bank account, asked on Telegram; Bình (DEMO-0002,
// Bắc Sơn) at home; Hoa (DEMO-0004, Tràng Định) in her wallet, asked on USSD.
const NOW = new Date("2026-12-10T03:00:00Z");
const ACCOUNT = "4200555566667777";
let server: TestServer;
let requests: Record<"an" | "binh" | "hoa", number>;
const sql = () => server.services.db.sql;
const as = (account: { username: string; password: string }) => signedIn(server.baseUrl, account);
const audits = async (action: string) => (await sql().all(`SELECT actorId, entityId, after FROM AuditLog WHERE action = ? ORDER BY id`, [action])) as { actorId: string; entityId: string; after: string | null }[];
const main = (text: string) => text.slice(text.indexOf("<main"));

beforeAll(async () => {
  server = await startTestServer({ clock: () => NOW });
  await addIdentity(sql(), { channel: "telegram", externalId: "7101", beneficiaryId: await beneficiaryId(sql(), "DEMO-0001") });
  await addIdentity(sql(), { channel: "ussd", externalId: "+84978111222", beneficiaryId: await beneficiaryId(sql(), "DEMO-0004") });
  const db = server.services.db;
  const secret = server.services.secret;
  requests = {
    an: await createRequest(db, secret, { reference: "YCWEB0001", code: "DEMO-0001", method: "bank", provider: "Agribank", account: ACCOUNT, createdAt: new Date("2026-12-08T01:00:00Z") }),
    binh: await createRequest(db, secret, { reference: "YCWEB0002", code: "DEMO-0002", method: "cash_home", homeReason: "illness", createdAt: new Date("2026-12-10T02:15:00Z") }),
    hoa: await createRequest(db, secret, { reference: "YCWEB0003", code: "DEMO-0004", method: "mobile_money", provider: "MoMo", walletPhone: "+84978111222", channel: "ussd", createdAt: new Date("2026-12-07T03:00:00Z") }),
  };
});
afterAll(async () => {
  await server.close();
});

describe("the list of pending requests", () => {
  it("shows the staff member's communes only, oldest first, masked, with who asked, where and how long ago", async () => {
    const staff = await as(DEMO.staffBacSon);
    const page = await staff.get("/console/method-changes");
    expect(page.status).toBe(200);
    expect(page.text).toContain("2 yêu cầu đang chờ duyệt");
    expect(page.text.indexOf("YCWEB0001")).toBeLessThan(page.text.indexOf("YCWEB0002"));
    expect(page.text).not.toContain("YCWEB0003");
    expect(page.text).not.toContain("Vi Thị Hoa");
    expect(page.text).toContain("Tài khoản ngân hàng · Agribank ***7777");
    expect(page.text).toContain("Tiền mặt tại nhà · Ốm đau");
    expect(page.text).toContain("Tài khoản ngân hàng · Agribank ***6789"); // Bình's current method
    expect(page.text).toContain("2 ngày 2 giờ"); // An has waited since 08:00 on 8 December
    expect(page.text).toContain("45 phút");
    expect(page.text).not.toContain(ACCOUNT);
    const admin = await (await as(DEMO.admin)).get("/console/method-changes");
    expect(admin.text).toContain("3 yêu cầu đang chờ duyệt");
    expect(admin.text).toContain("Ví điện tử · MoMo ***222");
  });

  it("refuses an unknown status filter with 400", async () => {
    const staff = await as(DEMO.staffBacSon);
    expect((await staff.get("/console/method-changes?status=everything")).status).toBe(400);
    expect((await staff.get("/console/method-changes?page=0")).status).toBe(400);
  });
});

describe("another commune's request", () => {
  it("cannot be opened, revealed, approved or rejected by crafted URL: the same 404 as one that does not exist, nothing written", async () => {
    const staff = await as(DEMO.staffBacSon);
    const opened = await staff.get(`/console/method-changes/${requests.hoa}`);
    const missing = await staff.get("/console/method-changes/999999");
    expect(opened.status).toBe(404);
    expect(main(opened.text)).toBe(main(missing.text));
    expect(opened.text).not.toContain("Vi Thị Hoa");
    for (const action of ["reveal", "approve", "reject"]) {
      const answer = await staff.post(`/console/method-changes/${requests.hoa}/${action}`, { reason: "không", note: "x" });
      expect(answer.status, action).toBe(404);
      expect(answer.text).not.toContain("978111222");
    }
    expect(await statusOf(server.services.db, "YCWEB0003")).toBe("pending");
    expect(await audits("method_change.account_revealed")).toEqual([]);
    expect(await audits("method_change.viewed")).toEqual([]);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM OutboxMessage WHERE methodChangeId IS NOT NULL`)).toBe(0);
  });
});

describe("a request of their commune", () => {
  it("opens with its details, masked; the view is audited", async () => {
    const staff = await as(DEMO.staffBacSon);
    const page = await staff.get(`/console/method-changes/${requests.an}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Yêu cầu YCWEB0001");
    expect(page.text).toContain("Nguyễn Văn An (DEMO)");
    expect(page.text).toContain("Agribank ***7777");
    expect(page.text).toContain("Số điện thoại đã đăng ký");
    expect(page.text).not.toContain(ACCOUNT);
    expect(page.text).toContain(`action="/console/method-changes/${requests.an}/reveal"`);
    expect(await audits("method_change.viewed")).toEqual([{ actorId: "demo-staff", entityId: String(requests.an), after: null }]);
  });

  it("shows the full account number once on a POST with the CSRF token, and audits who looked (without the number)", async () => {
    const staff = await as(DEMO.staffBacSon);
    expect((await staff.post(`/console/method-changes/${requests.an}/reveal`, {}, { csrf: null })).status).toBe(403);
    expect(await audits("method_change.account_revealed")).toEqual([]);
    const shown = await staff.post(`/console/method-changes/${requests.an}/reveal`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(`<span class="secret" aria-label="Số tài khoản">${ACCOUNT}</span>`);
    expect(shown.headers.get("cache-control")).toBe("no-store");
    const [entry] = await audits("method_change.account_revealed");
    expect(entry).toMatchObject({ actorId: "demo-staff", entityId: String(requests.an) });
    expect(entry.after).not.toContain(ACCOUNT);
    // A request for cash at home names no account.
    const nothing = await staff.post(`/console/method-changes/${requests.binh}/reveal`);
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain("không có số tài khoản");
  });

  it("refuses a rejection without a reason (400, nothing decided)", async () => {
    const staff = await as(DEMO.staffBacSon);
    const answer = await staff.post(`/console/method-changes/${requests.binh}/reject`, { reason: "   " });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("Hãy ghi lý do từ chối");
    expect(answer.text).toMatch(/id="reason"[^>]*aria-invalid="true"/);
    const tooLong = await staff.post(`/console/method-changes/${requests.binh}/reject`, { reason: "x".repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain("x".repeat(501));
    expect(await statusOf(server.services.db, "YCWEB0002")).toBe("pending");
  });

  it("approves: audited, the notice to the person queued on their channel, and it cannot be decided twice", async () => {
    const staff = await as(DEMO.staffBacSon);
    const approved = await staff.post(`/console/method-changes/${requests.an}/approve`, { note: "Đã gọi xác nhận" });
    expect(approved.status).toBe(303);
    expect(approved.location).toBe(`/console/method-changes/${requests.an}?notice=method_change_approved`);
    expect(await statusOf(server.services.db, "YCWEB0001")).toBe("approved");
    expect(await audits("method_change.approved")).toEqual([
      { actorId: "demo-staff", entityId: String(requests.an), after: JSON.stringify({ status: "approved", decidedBy: "demo-staff", decisionReason: "Đã gọi xác nhận" }) },
    ]);
    const notices = await sql().all(`SELECT channel, externalId, kind, status FROM OutboxMessage WHERE methodChangeId = ?`, [requests.an]);
    expect(notices).toEqual([{ channel: "telegram", externalId: "7101", kind: "method_change_approved", status: "pending" }]);
    const page = await staff.get(approved.location!);
    expect(page.text).toContain("Đã duyệt yêu cầu. Người dân sẽ được báo qua kênh họ đã dùng.");
    expect(page.text).toContain("Đã duyệt");
    expect(page.text).not.toContain(`/console/method-changes/${requests.an}/approve`);

    const again = await staff.post(`/console/method-changes/${requests.an}/reject`, { reason: "nhầm" });
    expect(again.status).toBe(409);
    expect(again.text).toContain("Yêu cầu này đã được xử lý");
    expect(await statusOf(server.services.db, "YCWEB0001")).toBe("approved");

    // Decided requests are there to read, under their status.
    const decided = await staff.get("/console/method-changes?status=approved");
    expect(decided.text).toContain("YCWEB0001");
    expect(decided.text).toContain("demo-staff");
    expect((await staff.get("/console/method-changes")).text).not.toContain("YCWEB0001");
  });

  it("rejects with the reason, and says when the person cannot be told", async () => {
    const staff = await as(DEMO.staffBacSon);
    const rejected = await staff.post(`/console/method-changes/${requests.binh}/reject`, { reason: "Cần giấy xác nhận của trạm y tế." });
    expect(rejected.status).toBe(303);
    // Bình asked on Telegram but has no Telegram identity here: nobody to tell.
    expect(rejected.location).toBe(`/console/method-changes/${requests.binh}?notice=method_change_rejected_unnotified`);
    expect(await statusOf(server.services.db, "YCWEB0002")).toBe("rejected");
    expect((await staff.get(rejected.location!)).text).toContain("Cần giấy xác nhận của trạm y tế.");
  });
});
