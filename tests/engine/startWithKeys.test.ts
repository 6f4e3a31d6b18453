import { describe, expect, it } from "vitest";
import { Chat, engineWithFakeActions, identified, text } from "./engineHarness.ts";
import { openEscalationEffect } from "../../src/engine/effects/openEscalation.ts";

// A start that carries keys (a USSD code dialled with digits after it, `*384*123*6*1#`): the
// engine starts afresh and presses them in order, whatever the session was on.
const setup = () =>
  engineWithFakeActions({
    identify: identified,
    current_payment: () => ({ outcome: "none", value: null }),
    open_escalation: () => ({ outcome: "opened", effects: [openEscalationEffect({ topic: "human", details: null, beneficiaryId: null })] }),
  });

describe("engine: a start with keys", () => {
  it("presses them from the first screen, not from where the session was", async () => {
    const chat = new Chat(setup().engine, { channel: "ussd", userId: "+84900000001" });
    await chat.start();
    await chat.say("4");
    expect(chat.session?.flow).toBe("guidance");
    const reply = await chat.startWith("6", "1");
    expect(reply.end).toBe(true);
    expect(text(reply)).toContain("Đã ghi nhận");
    // The effects of every step, and the keys as the log keeps them.
    expect(chat.last.effects.map((e) => e.type)).toEqual(["open_escalation"]);
    expect(chat.last.loggedInput).toBe("6*1");
  });

  it("stops at a key the screen refuses: that screen, with its hint, is the answer", async () => {
    const chat = new Chat(setup().engine);
    // 8 is on no main menu (9 is: "Quyền dữ liệu cá nhân", at that number on every channel).
    const reply = await chat.startWith("8", "6", "1");
    expect(reply.texts[0]).toContain("Chưa hiểu lựa chọn");
    expect(chat.session?.flow).toBe("main");
    expect(chat.session?.node).toBe("menu");
    expect(chat.effects).toEqual([]);
  });
});
