import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startTestServer, type TestServer } from "../helpers/testServer.ts";
import { StringeeCaller, TwilioCaller, type VoiceCaller } from "../helpers/voiceCallers.ts";

const TWILIO_TOKEN = "twilio-test-auth-token";
const STRINGEE_SECRET = "stringee-test-secret";

let server: TestServer;
let audioDir: string;
beforeAll(async () => {
  // A province recorded one prompt in Vietnamese: the guardian's "choose a person".
  audioDir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-audio-"));
  fs.mkdirSync(path.join(audioDir, "vi"));
  fs.writeFileSync(path.join(audioDir, "vi", "identify.pick_person.mp3"), Buffer.from("ID3fake"));
  server = await startTestServer({ config: { voice: { ...loadConfig().voice, operatorNumber: null, audioDir, twilioAuthToken: TWILIO_TOKEN, stringeeSecret: STRINGEE_SECRET } } });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(audioDir, { recursive: true, force: true });
});

const providers: [string, (phone: string) => VoiceCaller][] = [
  ["Twilio", (phone) => new TwilioCaller(server.baseUrl, phone, TWILIO_TOKEN)],
  ["Stringee", (phone) => new StringeeCaller(server.baseUrl, phone.replace(/^\+/, ""), STRINGEE_SECRET)],
];

describe.each(providers)("voice calls through %s", (name, caller) => {
  it("a first-time caller hears the personal-data notice before anything personal, and 1 agrees", async () => {
    const phone = caller(name === "Twilio" ? "+84978111222" : "+84388999000");
    phone.acceptsNotice = false;
    const notice = await phone.call();
    expect(notice.listening).toBe(true);
    expect(notice.spoken).toMatch(/^Thông báo về dữ liệu cá nhân: /);
    expect(notice.spoken).toContain("Đồng ý: bấm 1.");
    expect(notice.spoken).not.toContain("(DEMO)");
    const menu = await phone.press("1");
    expect(menu.spoken).toMatch(/(Vi Thị Hoa|Nông Văn Sơn) \(DEMO\)/);
    expect(menu.spoken).toContain("Xem tiền trợ cấp: bấm 1.");
    // Agreed once: the next call goes straight to the menu.
    const next = caller(name === "Twilio" ? "+84978111222" : "+84388999000");
    next.acceptsNotice = false;
    expect((await next.call()).spoken).not.toContain("Thông báo về dữ liệu cá nhân");
  });

  it("a known caller hears this month's payment, amounts and dates as words, in at most 2 keys", async () => {
    // The caller agreed to the personal-data notice on an earlier call: this call counts every key.
    await caller("+84912345678").call();
    const phone = caller("+84912345678");
    phone.acceptsNotice = false;
    const menu = await phone.call();
    expect(menu.status).toBe(200);
    expect(menu.listening).toBe(true);
    expect(menu.spoken).toContain("Nguyễn Văn An (DEMO)");
    expect(menu.spoken).toContain("Xem tiền trợ cấp: bấm 1.");
    const status = await phone.press("1");
    // The status first (issue 13), then the amount, as words.
    expect(status.spoken).toMatch(/^Kỳ tháng 12 năm 2026: Nhận tiền mặt ngày \d+ tháng 12 năm 2026 tại [^.]+\. Số tiền: 1\.000\.000 đồng/);
    expect(status.spoken).toContain("ngày 5 tháng 12 năm 2026");
    expect(status.spoken).not.toMatch(/\d+\/\d+/);
    // 9 says it again; 0 0 goes to the main menu.
    const again = await phone.press("9");
    expect(again.spoken).toContain("1.000.000 đồng");
    expect(again.spoken).not.toContain("Chưa hiểu");
    await phone.press("0");
    const home = await phone.press("0");
    expect(home.spoken).toContain("Xem tiền trợ cấp: bấm 1.");
  });

  it("a guardian chooses the person first (a recorded prompt plays instead of speech)", async () => {
    const phone = caller("+84987654321");
    const pick = await phone.call();
    expect(pick.played).toEqual(["vi/identify.pick_person.mp3"]);
    expect(pick.spoken).not.toContain("Chọn người");
    expect(pick.spoken).toMatch(/Hoàng Thị Bình \(DEMO\): [^:]+: bấm 1\./);
    const menu = await phone.press("2");
    expect(menu.spoken).toContain("Lương Minh Đức (DEMO)");
    const audio = await fetch(`${server.baseUrl}/voice/audio/vi/identify.pick_person.mp3`);
    expect(audio.status).toBe(200);
  });

  it("silence re-prompts twice, then says goodbye and hangs up", async () => {
    const phone = caller("+84912345678");
    await phone.call();
    const first = await phone.silence();
    expect(first.spoken).toContain("chưa nghe thấy");
    expect(first.spoken).toContain("Xem tiền trợ cấp: bấm 1.");
    expect(first.spoken).not.toContain("Chưa hiểu");
    const second = await phone.silence();
    expect(second.listening).toBe(true);
    const third = await phone.silence();
    expect(third.listening).toBe(false);
    expect(third.hungUp).toBe(true);
    expect(third.spoken).toContain("Xin chào");
  });

  it("asking for an officer without a hotline records a voice message on the escalation", async () => {
    const phone = caller("+84912345678");
    const menu = await phone.call();
    const human = menu.spoken.match(/Gặp cán bộ: bấm (\d)/)![1];
    const confirm = await phone.press(human);
    expect(confirm.spoken).toContain("Gửi yêu cầu gặp cán bộ");
    const recorded = await phone.press("1");
    expect(recorded.recording).toBe(true);
    expect(recorded.spoken).toContain("Sau tiếng bíp");
    const thanks = await phone.leaveMessage("https://recordings.example/RE123.mp3");
    expect(thanks.hungUp).toBe(true);
    const messages = await server.services.db.sql.all<{ text: string }>(
      "SELECT m.text FROM EscalationMessage m JOIN Escalation e ON e.id = m.escalationId WHERE e.channel = 'voice' AND m.kind = 'person'",
    );
    expect(messages.map((m) => m.text).join("\n")).toContain("https://recordings.example/RE");
  });
});

describe("voice identification by citizen ID and birth date (keys finished with #)", () => {
  it.each(providers)("%s: identifies an unknown number, and locks after five wrong answers", async (name, caller) => {
    const known = caller(name === "Twilio" ? "+84901000011" : "+84901000012");
    const ask = await known.call();
    expect(ask.spoken).toContain("Nhập số CCCD");
    expect(ask.spoken).toContain("phím thăng");
    const dob = await known.press("020190003333#");
    expect(dob.spoken).toContain("ngày sinh");
    const menu = await known.press("04041990#");
    expect(menu.spoken).toContain("Đinh Thị Mai (DEMO)");

    const stranger = caller(name === "Twilio" ? "+84901000013" : "+84901000014");
    await stranger.call();
    let answer = await stranger.press("020190003333#");
    for (let attempt = 1; attempt <= 5; attempt++) {
      answer = await stranger.press("01011991#");
      if (attempt < 5) answer = await stranger.press("020190003333#");
    }
    expect(answer.spoken).toContain("sai quá nhiều lần");
    expect(answer.hungUp).toBe(true);
    const again = await stranger.call();
    expect(again.spoken).toContain("sai quá nhiều lần");
  });
});

describe("forged voice requests", () => {
  it("Twilio: a wrong signature is refused with 403 and nothing is recorded", async () => {
    const forger = new TwilioCaller(server.baseUrl, "+84912000999", TWILIO_TOKEN);
    const forged = await forger.post("/voice/twilio", {}, "not-the-token");
    expect(forged.status).toBe(403);
    const unsigned = await fetch(`${server.baseUrl}/voice/twilio`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "CallSid=CA1&From=%2B84912000999" });
    expect(unsigned.status).toBe(403);
    const logged = () => server.services.db.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM MessageLog WHERE channel = 'voice' AND externalId = ?", ["+84912000999"]);
    expect((await logged())?.n).toBe(0);
    // The same call signed with the right token is answered (and its conversation logged).
    const real = await forger.post("/voice/twilio", {});
    expect(real.status).toBe(200);
    expect((await logged())?.n).toBeGreaterThan(0);
  });

  it("Stringee: a wrong secret is refused with 403 and nothing is recorded", async () => {
    const forger = new StringeeCaller(server.baseUrl, "84912000998", "wrong-secret");
    const forged = await forger.call("wrong-secret");
    expect(forged.status).toBe(403);
    const event = await forger.event({ dtmf: "1" }, `${server.baseUrl}/voice/stringee?secret=nope&s=0&m=1`);
    expect(event.status).toBe(403);
    const logged = await server.services.db.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM MessageLog WHERE channel = 'voice' AND externalId = '+84912000998'");
    expect(logged?.n).toBe(0);
  });
});

describe("asking for an officer with VOICE_OPERATOR_NUMBER set", () => {
  it.each(["Twilio", "Stringee"])("%s: connects the call to the hotline", async (name) => {
    const hotline = await startTestServer({ config: { voice: { ...loadConfig().voice, operatorNumber: "+842053870000", twilioAuthToken: TWILIO_TOKEN, stringeeSecret: STRINGEE_SECRET } } });
    try {
      const phone = name === "Twilio" ? new TwilioCaller(hotline.baseUrl, "+84912345678", TWILIO_TOKEN) : new StringeeCaller(hotline.baseUrl, "84912345678", STRINGEE_SECRET);
      const menu = await phone.call();
      await phone.press(menu.spoken.match(/Gặp cán bộ: bấm (\d)/)![1]);
      const connected = await phone.press("1");
      expect(connected.spoken).toContain("đang nối máy");
      expect(connected.dialed).toBe("+842053870000");
    } finally {
      await hotline.close();
    }
  });
});
