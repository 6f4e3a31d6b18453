import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramTest, textOf, type TelegramTest, type TelegramUser } from "../channels/telegram/telegramTestKit.ts";
import { DEMO, signedIn } from "../helpers/consoleClient.ts";

// Each request kind end to end: asked on a channel (menu 9), an item in the commune's "Dữ liệu cá
// nhân" queue with its deadlines, answered in the console, and the answer reaches the person.
// Wednesday 2026-12-09 10:00 in Vietnam: acknowledge by Friday 11th, answer by Thursday 24th
// (weekends skipped, and Monday 21st, a day off the province configured in PUBLIC_HOLIDAYS).
let now = new Date("2026-12-09T03:00:00Z");
let test: TelegramTest;
let mai: TelegramUser;
beforeAll(async () => {
  test = await startTelegramTest({ clock: () => now, config: { calendar: { daysOff: ["2026-12-21"], workingDays: [] } } });
  mai = test.user(92_001);
  await mai.identifyByCitizenId();
});
afterAll(async () => {
  await test.close();
});

const sql = () => test.server.services.db.sql;
const communeOfMai = async () =>
  (await sql().get<{ name: string }>(`SELECT c.name FROM Beneficiary b JOIN Commune c ON c.id = b.communeId WHERE b.fullName = 'Đinh Thị Mai (DEMO)'`))!.name;
const staffOf = async (own: boolean) => {
  const bacSon = (await communeOfMai()).includes("Bắc Sơn");
  return own === bacSon ? DEMO.staffBacSon : DEMO.staffTrangDinh;
};

async function ask(...presses: string[]): Promise<string> {
  await mai.say("00");
  await mai.press("9");
  let last: string[] = [];
  for (const p of presses) last = (await (/^\d+$/.test(p) ? mai.press(p) : mai.say(p))).map(textOf);
  const reference = /DL[A-Z0-9]{8}/.exec(last.join("\n"))?.[0];
  if (!reference) throw new Error(`no reference in ${last.join("\n")}`);
  return reference;
}

async function answerInConsole(reference: string, decision: "done" | "refused", answer: string) {
  const { id } = (await sql().get<{ id: number }>(`SELECT id FROM PrivacyRequest WHERE reference = ?`, [reference]))!;
  const staff = await signedIn(test.server.baseUrl, await staffOf(true));
  const queue = await staff.get("/console/privacy");
  expect(queue.status).toBe(200);
  expect(queue.text).toContain(reference);
  const other = await signedIn(test.server.baseUrl, await staffOf(false));
  expect((await other.get("/console/privacy")).text).not.toContain(reference);
  expect((await other.get(`/console/privacy/${id}`)).status).toBe(404);
  expect((await other.post(`/console/privacy/${id}/answer`, { decision, answer })).status).toBe(404);
  const detail = await staff.get(`/console/privacy/${id}`);
  expect(detail.text).toContain("2026-12-11"); // acknowledge by: 2 working days
  expect(detail.text).toContain("2026-12-24"); // answer by: 10 working days, weekends and the configured day off skipped
  expect((await staff.post(`/console/privacy/${id}/answer`, { decision, answer }, { csrf: null })).status).toBe(403);
  const sent = await staff.post(`/console/privacy/${id}/answer`, { decision, answer });
  expect(sent.status).toBeLessThan(400);
  const before = test.fake.delivered(92_001).length;
  await test.server.services.outbox.drain();
  return test.fake.delivered(92_001).slice(before).map(textOf).join("\n");
}

describe("personal-data requests from a channel to the console and back", () => {
  it("access: asked on Telegram, answered in the console, the person is told", async () => {
    const reference = await ask("1");
    const told = await answerInConsole(reference, "done", "Ban du lieu da gui qua buu dien.");
    expect(told).toContain("Trả lời yêu cầu dữ liệu cá nhân của bạn: Ban du lieu da gui qua buu dien.");
    const row = await sql().get<{ kind: string; status: string; decision: string }>(`SELECT kind, status, decision FROM PrivacyRequest WHERE reference = ?`, [reference]);
    expect(row).toEqual({ kind: "access", status: "answered", decision: "done" });
    expect(await sql().get(`SELECT 1 AS yes FROM AuditLog WHERE action = 'privacy_request.answered'`)).toBeTruthy();
  });

  it("correction: what to correct is kept with the request, not in the transcript", async () => {
    const reference = await ask("2", "So dien thoai moi 0912000111");
    const row = await sql().get<{ kind: string; details: string }>(`SELECT kind, details FROM PrivacyRequest WHERE reference = ?`, [reference]);
    expect(row).toEqual({ kind: "correction", details: "So dien thoai moi 0912000111" });
    const logged = await sql().all<{ text: string }>(`SELECT text FROM MessageLog WHERE channel = 'telegram' AND externalId = '92001' AND direction = 'in'`);
    expect(logged.map((l) => l.text).join("\n")).not.toContain("0912000111");
    expect(await answerInConsole(reference, "done", "Da sua so dien thoai.")).toContain("Da sua so dien thoai.");
  });

  it("erasure: explained (payments kept), then answered with a refusal the person reads", async () => {
    await mai.say("00");
    await mai.press("9");
    expect((await mai.press("3")).map(textOf).join("\n")).toContain("Hồ sơ chi trả được giữ theo luật");
    await mai.say("00");
    const reference = await ask("3", "1");
    expect(await answerInConsole(reference, "refused", "Can xac minh tai xa.")).toContain("Can xac minh tai xa.");
  });

  it("access: the console exports the person's data from the request, audited; another commune's staff cannot", async () => {
    const reference = await ask("1");
    const { id } = (await sql().get<{ id: number }>(`SELECT id FROM PrivacyRequest WHERE reference = ?`, [reference]))!;
    const other = await signedIn(test.server.baseUrl, await staffOf(false));
    expect((await other.post(`/console/privacy/${id}/export`)).status).toBe(404);
    const staff = await signedIn(test.server.baseUrl, await staffOf(true));
    const page = await staff.post(`/console/privacy/${id}/export`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Dữ liệu cá nhân: Đinh Thị Mai (DEMO)");
    const json = JSON.parse((await staff.post(`/console/privacy/${id}/export?format=json`)).text);
    expect(json.person.fullName).toBe("Đinh Thị Mai (DEMO)");
    expect(json.sections.privacyRequests.map((r: { reference: string }) => r.reference)).toContain(reference);
    expect(await sql().get(`SELECT 1 AS yes FROM AuditLog WHERE action = 'personal_data.exported' AND actorKind = 'staff'`)).toBeTruthy();
  });

  it("an unanswered request past its deadline is marked overdue", async () => {
    const reference = await ask("1");
    now = new Date("2026-12-14T03:00:00Z"); // Monday: past the 2-working-day acknowledgement
    const staff = await signedIn(test.server.baseUrl, await staffOf(true));
    const queue = (await staff.get("/console/privacy")).text;
    const row = queue.slice(queue.lastIndexOf("<tr", queue.indexOf(reference)), queue.indexOf("</tr>", queue.indexOf(reference)));
    expect(row).toContain('class="overdue"');
    expect(row).toContain("Quá hạn");
  });
});
