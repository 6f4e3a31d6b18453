import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, UssdCaller, type TestServer } from "../helpers/testServer.ts";
import { DEMO, signedIn, sqlValue, sqlValues } from "../helpers/consoleClient.ts";

// One chat (or phone) locked after IDENTIFICATION_MAX_ATTEMPTS wrong answers is proven in
// tests/http/ussd.test.ts ("locks after five wrong attempts and says so, also on the next dial").
// Here: many chats at once, each under its own limit, trip the global limit.

const LIMIT = 8;
let server: TestServer;
const sql = () => server.services.db.sql;
const caller = (phone: string) => new UssdCaller(server.baseUrl, phone);

/** Dials from a phone not on record and gives a wrong citizen ID / birth date once: the last screen. */
async function guessOnce(phone: string, citizenId = "020190003333", dateOfBirth = "01/01/1991") {
  const chat = caller(phone);
  const first = await chat.freshDial();
  expect(first.screen).toContain("Nhap so CCCD");
  await chat.press(citizenId);
  return chat.press(dateOfBirth);
}

beforeAll(async () => {
  server = await startTestServer({ config: { identificationGlobalFailuresPerMinute: LIMIT, identificationGlobalLockMinutes: 15, identificationMaxAttempts: 5 } });
});
afterAll(async () => {
  await server?.close();
});

describe("identification by citizen ID and birth date, tried from many chats at once", () => {
  it("an identified chat, and wrong guesses under the limit, go as usual", async () => {
    // Identified before the attack: its identity is linked (by citizen ID and birth date).
    const known = caller("+84901000071");
    await known.freshDial();
    await known.press("020190003333");
    expect((await known.press("04/04/1990")).screen).not.toContain("CCCD");

    for (let i = 0; i < LIMIT - 1; i++) {
      const answer = await guessOnce(`+8490200${String(i).padStart(4, "0")}`);
      expect(answer.screen).toContain("Con 4 lan thu");
    }
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM Escalation WHERE topic = 'security'`)).toBe(0);
  });

  it("the failure that reaches the limit pauses identification for every new chat, reported once (several chats at once)", async () => {
    // Several chats fail at the same moment: the limit is reached, by one or more of them.
    const answers = await Promise.all([0, 1, 2].map((i) => guessOnce(`+8490300${String(i).padStart(4, "0")}`)));
    for (const answer of answers) expect(answer.status).toBe(200);
    // Once in force, a new chat's answer is not checked, even the right one: a clear sentence, the dial ends.
    const refused = await guessOnce("+84904000001", "020190003333", "04/04/1990");
    expect(refused.end).toBe(true);
    expect(refused.screen).toContain("Tam dung xac minh bang so CCCD");
    expect(refused.screen).toMatch(/thu lai sau 1[45] phut/);
    expect(refused.screen.length).toBeLessThanOrEqual(160);
    expect((await sqlValue(sql(), `SELECT beneficiaryId FROM ChannelIdentity WHERE channel = 'ussd' AND externalId = '+84904000001'`)) ?? null).toBeNull();
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM Escalation WHERE topic = 'security'`)).toBe(1);

    // Reported once per lock period: one escalation, one audit row, however many chats tripped or were refused.
    for (let i = 0; i < 3; i++) await guessOnce(`+8490500${String(i).padStart(4, "0")}`);
    expect(await sqlValue(sql(), `SELECT COUNT(*) FROM Escalation WHERE topic = 'security'`)).toBe(1);
    expect(await sqlValues(sql(), `SELECT action FROM AuditLog WHERE action = 'identity.global_locked'`)).toEqual(["identity.global_locked"]);
    const after = JSON.parse((await sqlValue(sql(), `SELECT after FROM AuditLog WHERE action = 'identity.global_locked'`)) as string);
    expect(after).toMatchObject({ limit: LIMIT, lockMinutes: 15 });
    expect(after.failures).toBeGreaterThanOrEqual(LIMIT);
    // Refused attempts are not failures: they neither count nor lock the chat.
    expect((await sqlValue(sql(), `SELECT failedAttempts FROM ChannelIdentity WHERE channel = 'ussd' AND externalId = '+84905000000'`)) ?? 0).toBe(0);
  });

  it("the operators see the report in their queue, with what happened", async () => {
    const operator = await signedIn(server.baseUrl, DEMO.operator);
    const queue = await operator.get("/console/escalations");
    expect(queue.status).toBe(200);
    expect(queue.text).toContain("An ninh: tạm dừng xác minh");
    const id = await sqlValue(sql(), `SELECT id FROM Escalation WHERE topic = 'security'`);
    const detail = await operator.get(`/console/escalations/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain("Identification by citizen ID and birth date paused for 15 minutes");
    // Only the last 4 digits of any typed ID number reach the console.
    expect(detail.text).not.toContain("020190003333");
  });

  it("a person already identified is not affected: by their linked chat, or by their phone on record", async () => {
    const known = caller("+84901000071");
    const menu = await known.freshDial();
    expect(menu.end).toBe(false);
    expect(menu.screen).not.toContain("CCCD");
    expect(menu.screen).not.toContain("Tam dung");
    const byPhone = await caller("+84912345678").freshDial();
    expect(byPhone.end).toBe(false);
    expect(byPhone.screen).not.toContain("Tam dung");
  });
});
