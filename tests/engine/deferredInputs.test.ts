import { describe, expect, it } from "vitest";
import { Chat, engineWithFakeActions, identified, text } from "./engineHarness.ts";

// The personal-data notice takes only a key pressed on it. What the person asked for before it
// stopped them (keys dialled with the code, "TT" as a first SMS) is answered once they agree and
// reach the main menu, rather than making them ask again.
const setup = () => {
  let consent: "needed" | "seen" = "needed";
  return engineWithFakeActions({
    consent_status: () => ({ outcome: consent }),
    record_consent: (args) => {
      consent = "seen";
      return { outcome: String(args.decision) };
    },
    identify: identified,
    current_payment: () => ({ outcome: "none", value: null }),
  });
};

const NOTICE = "Thông báo về dữ liệu cá nhân";
const STATUS = "Chưa có";

describe("engine: what the notice held back", () => {
  it("keys dialled with the code are pressed from the main menu once the notice is agreed to", async () => {
    const chat = new Chat(setup().engine, { channel: "ussd", userId: "+84900000001" });
    expect(text(await chat.startWith("1"))).toContain(NOTICE);
    expect(chat.session?.deferredInputs).toEqual(["1"]);
    const reply = await chat.say("1");
    expect(chat.session?.flow).toBe("status");
    expect(text(reply)).toContain(STATUS);
    expect(chat.session?.deferredInputs).toBeUndefined();
    // The log keeps the key pressed on the notice, not the replayed ones.
    expect(chat.last.loggedInput).toBe("1");
  });

  it("a first message that is a word for every screen (TT) is answered after the notice", async () => {
    const chat = new Chat(setup().engine, { channel: "sms", userId: "+84900000002" });
    expect(text(await chat.say("TT"))).toContain(NOTICE);
    const reply = await chat.say("1");
    expect(chat.session?.flow).toBe("status");
    expect(text(reply)).toContain(STATUS);
  });

  it("declining the notice still answers the payment status (a legal duty)", async () => {
    const chat = new Chat(setup().engine, { channel: "sms", userId: "+84900000003" });
    await chat.say("TT");
    const reply = await chat.say("2");
    expect(text(reply)).toContain("không đồng ý");
    expect(chat.session?.flow).toBe("status");
  });

  it("a key the notice refuses keeps them waiting; nonsense as a first message is not kept", async () => {
    const chat = new Chat(setup().engine, { channel: "ussd", userId: "+84900000004" });
    await chat.startWith("1");
    const refused = await chat.say("7");
    expect(text(refused)).toContain("Chưa hiểu lựa chọn");
    expect(chat.session?.deferredInputs).toEqual(["1"]);
    const other = new Chat(setup().engine, { channel: "sms", userId: "+84900000005" });
    await other.say("xin chao");
    expect(other.session?.deferredInputs).toBeUndefined();
    await other.say("1");
    expect(other.session?.node).toBe("menu");
  });
});
