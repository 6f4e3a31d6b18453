import { describe, expect, it } from "vitest";
import { Chat, engineWithFakeActions, identified, person, text } from "./engineHarness.ts";

const scheduledPayment = {
  period: "2026-12",
  amount: 1_000_000,
  backPay: 250_000,
  method: "cash",
  payDate: "2026-12-05",
  payPoint: "Nhà văn hóa thôn Bản Chu",
  status: "scheduled",
  accountLast4: null,
};

describe("engine: navigation that works on every screen", () => {
  const setup = () =>
    engineWithFakeActions({
      identify: identified,
      current_payment: () => ({ outcome: "found", value: scheduledPayment }),
      recent_payments: () => ({ outcome: "none", value: [] }),
      current_method: () => ({ outcome: "ok", value: { method: "cash", pending: null } }),
    });

  it("starts at the main menu of an identified person", async () => {
    const chat = new Chat(setup().engine);
    const reply = await chat.start();
    expect(reply.texts[0]).toBe("AnSinh - Nguyễn Thị Test");
    expect(reply.choices.map((c) => c.label)).toEqual(["Xem tiền trợ cấp", "Cách nhận tiền", "Nhắc lịch nhận tiền", "Hướng dẫn", "Ngôn ngữ/Language", "Gặp cán bộ", "Quyền dữ liệu cá nhân"]);
    // Personal data rights keep number 9 whatever comes before them.
    expect(reply.choices.at(-1)?.number).toBe("9");
    expect(reply.canGoBack).toBe(false);
  });

  it("matches a choice by number, by label without diacritics, by a unique beginning, in either language", async () => {
    for (const input of ["1", "Xem tiền trợ cấp", "xem tien tro cap", "XEM TIEN", "my payment"]) {
      const chat = new Chat(setup().engine);
      await chat.start();
      const reply = await chat.say(input);
      expect(reply.texts[0], input).toBe("Kỳ 12/2026: Nhận tiền mặt ngày 05/12/2026 tại Nhà văn hóa thôn Bản Chu.");
    }
  });

  it("answers an unknown choice with a hint and the same screen", async () => {
    const chat = new Chat(setup().engine);
    await chat.start();
    const reply = await chat.say("banana");
    expect(reply.texts[0]).toContain("Chưa hiểu lựa chọn");
    expect(reply.choices).toHaveLength(7);
    expect(chat.session?.node).toBe("menu");
  });

  it("goes back with 0, home with 00 or menu, and shows help without moving", async () => {
    const chat = new Chat(setup().engine);
    await chat.start();
    await chat.say("2");
    await chat.say("1");
    expect(chat.session?.node).toBe("bank_provider");
    await chat.say("0");
    expect(chat.session?.node).toBe("show");
    await chat.say("1");
    const home = await chat.say("00");
    expect(home.texts[0]).toBe("AnSinh - Nguyễn Thị Test");
    await chat.say("2");
    const help = await chat.say("trợ giúp");
    expect(help.texts[0]).toContain("không bao giờ hỏi mã PIN, OTP");
    expect(chat.session?.flow).toBe("method");
    const menu = await chat.say("Menu");
    expect(menu.choices[0].label).toBe("Xem tiền trợ cấp");
  });

  it("reaches a person from any screen with the global words", async () => {
    const chat = new Chat(setup().engine);
    await chat.start();
    await chat.say("2");
    const reply = await chat.say("Gặp cán bộ");
    expect(reply.texts[0]).toBe("Gửi yêu cầu gặp cán bộ?");
    const back = await chat.say("0");
    expect(back.texts[0]).toContain("Đang nhận");
  });

  it("costs the same at any depth: each step runs only the nodes it passes, never replays the path", async () => {
    const { engine, calls } = setup();
    const chat = new Chat(engine);
    await chat.start();
    for (const input of ["2", "1", "0", "1", "2"]) await chat.say(input);
    const before = calls.length;
    await chat.say("0");
    expect(calls.length).toBe(before);
    expect(calls.filter((c) => c.action === "identify")).toHaveLength(1);
  });

  it("offers to continue an unfinished conversation on reconnect, or to start again", async () => {
    const chat = new Chat(setup().engine);
    await chat.start();
    await chat.say("2");
    await chat.say("1");
    const offer = await chat.reconnect();
    expect(offer.texts).toEqual(["Bạn đang làm dở. Tiếp tục?"]);
    expect(offer.canGoBack).toBe(false);
    const resumed = await chat.say("tiep tuc");
    expect(resumed.texts[0]).toBe("Chọn ngân hàng:");
    await chat.reconnect();
    const restarted = await chat.say("2");
    expect(restarted.texts[0]).toBe("AnSinh - Nguyễn Thị Test");
  });

  it("starts a conversation afresh at the main menu on reconnect when nothing was unfinished", async () => {
    const chat = new Chat(setup().engine);
    const first = await chat.reconnect();
    expect(first.texts[0]).toBe("AnSinh - Nguyễn Thị Test");
  });
});

describe("engine: identification flow", () => {
  it("asks for the ID and date of birth, keeps only a hash of the ID, and passes both to verification", async () => {
    const { engine, calls } = engineWithFakeActions({
      identify: () => ({ outcome: "unknown" }),
      verify_identity: () => ({ outcome: "identified", vars: { person, attempt: null } }),
    });
    const chat = new Chat(engine);
    const ask = await chat.start();
    expect(ask.expects).toBe("text");
    expect(ask.offerContact).toBe(true);
    await chat.say("020 190 003 333");
    expect(chat.last.loggedInput).toBe("***3333");
    expect(JSON.stringify(chat.session)).not.toContain("020190003333");
    const menu = await chat.say("04/04/1990");
    expect(menu.texts[0]).toBe("AnSinh - Nguyễn Thị Test");
    const verify = calls.find((c) => c.action === "verify_identity")!;
    expect(verify.args.dateOfBirth).toBe("1990-04-04");
    expect((verify.args.citizenId as { last4: string }).last4).toBe("3333");
  });

  it("tells how many tries are left on a mismatch, and ends when locked", async () => {
    let tries = 0;
    const { engine } = engineWithFakeActions({
      identify: () => ({ outcome: "unknown" }),
      verify_identity: () =>
        ++tries < 2
          ? { outcome: "mismatch", vars: { identification: { attemptsLeft: 4 } } }
          : { outcome: "locked", vars: { identification: { attemptsLeft: 0, lockMinutes: 30 } } },
    });
    const chat = new Chat(engine);
    await chat.start();
    await chat.say("020190003333");
    const mismatch = await chat.say("01/01/1991");
    expect(mismatch.texts[0]).toBe("Thông tin chưa khớp với danh sách. Còn 4 lần thử.");
    expect(mismatch.expects).toBe("text");
    await chat.say("020190003333");
    const locked = await chat.say("01/01/1991");
    expect(locked.end).toBe(true);
    expect(locked.texts[0]).toContain("30 phút");
  });

  it("lets a guardian of several people choose, and switch later", async () => {
    const guardian = { ...person, kind: "guardian", beneficiaryId: undefined, beneficiaries: [{ id: 1, label: "Bà A" }, { id: 2, label: "Cháu B" }], isGuardianOfMany: true };
    const { engine } = engineWithFakeActions({
      identify: () => ({ outcome: "choose_person", vars: { person: guardian } }),
      people_payments: () => ({ outcome: "ok", value: [{ id: 1, label: "Bà A", status: "paid" }, { id: 2, label: "Cháu B", status: "none" }] }),
      select_beneficiary: (args, vars) => ({ outcome: "ok", vars: { person: { ...(vars.person as object), beneficiaryId: Number(args.beneficiaryId), name: Number(args.beneficiaryId) === 1 ? "Bà A" : "Cháu B" } } }),
    });
    const chat = new Chat(engine);
    const pick = await chat.start();
    // Each person's line names this period's status.
    expect(pick.choices.map((c) => c.label)).toEqual(["Bà A: đã nhận", "Cháu B: chưa có trong danh sách"]);
    const menu = await chat.say("cháu b");
    expect(menu.texts[0]).toBe("AnSinh - Cháu B");
    expect(menu.choices.map((c) => c.label)).toContain("Chọn người khác");
  });
});

describe("engine: flows end to end with fake actions", () => {
  /** A person paid in cash with no change pending, on the payment-method screen (menu 2); a request they make is accepted as YCTEST2345, from 01/2027. */
  async function onMethodScreen() {
    const { engine, calls } = engineWithFakeActions({
      identify: identified,
      current_method: () => ({ outcome: "ok", value: { method: "cash", pending: null } }),
      request_method_change: () => ({ outcome: "requested", value: { requestId: "YCTEST2345", effectivePeriod: "2027-01" } }),
    });
    const chat = new Chat(engine);
    await chat.start();
    await chat.say("2");
    return { chat, calls };
  }

  it("status: shows failure reason and the way forward", async () => {
    const { engine } = engineWithFakeActions({
      identify: identified,
      current_payment: () => ({ outcome: "found", value: { ...scheduledPayment, status: "failed", method: "bank", accountProvider: "Agribank", accountLast4: "1234", failureReason: "sai số tài khoản" } }),
    });
    const chat = new Chat(engine);
    await chat.start();
    const reply = await chat.say("1");
    // The status first, what to do after the amount.
    expect(reply.texts[0]).toBe("Kỳ 12/2026: Chưa chi trả được: sai số tài khoản.");
    expect(text(reply)).toContain("Hãy liên hệ cán bộ xã hoặc chọn Gặp cán bộ.");
    expect(text(reply)).toContain("Agribank ***1234");
  });

  it("status: says so when there is no payment yet", async () => {
    const { engine } = engineWithFakeActions({ identify: identified, current_payment: () => ({ outcome: "none", value: null }) });
    const chat = new Chat(engine);
    await chat.start();
    expect(text(await chat.say("1"))).toContain("Chưa có khoản chi trả nào");
  });

  it("method: mobile money asks for the wallet's phone, validates it, and submits a request", async () => {
    const { chat, calls } = await onMethodScreen();
    await chat.say("2");
    await chat.say("viettel money");
    const old = await chat.say("01668123456");
    expect(old.texts[0]).toContain("số 11 chữ số cũ");
    const confirm = await chat.say("0912 345 678");
    expect(text(confirm)).toContain("Viettel Money, số ví ***678?");
    const done = await chat.say("1");
    expect(text(done)).toContain("YCTEST2345");
    expect(text(done)).toContain("01/2027");
    expect(text(done)).toContain("PIN/OTP");
    const submit = calls.find((c) => c.action === "request_method_change")!;
    expect(submit.args).toMatchObject({ method: "mobile_money", provider: "Viettel Money", walletPhone: "+84912345678" });
  });

  it("method: cash at home asks the reason", async () => {
    const { chat, calls } = await onMethodScreen();
    await chat.say("4");
    await chat.say("2");
    await chat.say("1");
    expect(calls.find((c) => c.action === "request_method_change")!.args).toMatchObject({ method: "cash_home", homeReason: "disability" });
  });

  it("reminders and language produce their effects; language switches the conversation", async () => {
    const { engine } = engineWithFakeActions({
      identify: identified,
      reminders_status: () => ({ outcome: "on" }),
      set_reminders: (args) => ({ outcome: String(args.wanted), effects: [{ type: "set_reminders", on: args.wanted === "on" }] }),
      set_language: (args) => ({ outcome: "ok", locale: args.locale as "en", effects: [{ type: "set_locale", locale: args.locale as "en" }] }),
    });
    const chat = new Chat(engine);
    await chat.start();
    await chat.say("3");
    const off = await chat.say("1");
    expect(off.texts[0]).toContain("Đã tắt");
    await chat.say("1");
    await chat.say("5");
    const english = await chat.say("English");
    expect(english.choices[0].label).toBe("My payment");
    expect(chat.effects).toEqual([
      { type: "set_reminders", on: false },
      { type: "set_locale", locale: "en" },
    ]);
  });

  it("talk to a person: asks to confirm, records, and tells a chat user they will be answered here", async () => {
    const { engine, calls } = engineWithFakeActions({ identify: identified, open_escalation: () => ({ outcome: "opened", effects: [{ type: "open_escalation", topic: "human", details: null, beneficiaryId: null }] }) });
    const chat = new Chat(engine);
    await chat.start();
    await chat.say("6");
    const done = await chat.say("1");
    expect(text(done)).toContain("trả lời bạn tại đây");
    expect(done.end).toBe(false);
    expect(calls.some((c) => c.action === "open_escalation")).toBe(true);
  });
});
