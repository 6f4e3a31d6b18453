import { describe, expect, it } from "vitest";
import { Chat, engineWithFakeActions, person, text } from "./engineHarness.ts";

// "TT" (or "xem tien") from a guardian of several people answers with this period's status of each,
// one line per person, instead of asking whom first; the menu's "Xem tiền trợ cấp" stays one person's.
const guardian = {
  ...person,
  kind: "guardian",
  beneficiaryId: undefined,
  name: undefined,
  beneficiaries: [
    { id: 1, label: "Hoàng Thị Bình" },
    { id: 2, label: "Lương Minh Đức" },
    { id: 3, label: "Nông Văn Sơn" },
    { id: 4, label: "Vi Thị Hoa" },
    { id: 5, label: "Đinh Thị Mai" },
  ],
  isGuardianOfMany: true,
};
const people = [
  { id: 1, label: "Hoàng Thị Bình", shortLabel: "H.T. Bình", period: "2026-12", status: "scheduled", payDate: "2026-12-05", paidDate: null, failureReason: null },
  { id: 2, label: "Lương Minh Đức", shortLabel: "L.M. Đức", period: "2026-12", status: "paid", payDate: "2026-12-05", paidDate: "2026-12-04", failureReason: null },
  { id: 3, label: "Nông Văn Sơn", shortLabel: "N.V. Sơn", period: "2026-12", status: "failed", payDate: "2026-12-05", paidDate: null, failureReason: "Tài khoản không tồn tại" },
  { id: 4, label: "Vi Thị Hoa", shortLabel: "V.T. Hoa", period: "2026-12", status: "returned", payDate: "2026-12-05", paidDate: null, failureReason: null },
  { id: 5, label: "Đinh Thị Mai", shortLabel: "Đ.T. Mai", period: "2026-12", status: "none", payDate: null, paidDate: null, failureReason: null },
];

const setup = (consent: "seen" | "needed" = "seen") => {
  let consented = consent;
  return engineWithFakeActions({
    consent_status: () => ({ outcome: consented }),
    record_consent: (args) => {
      consented = "seen";
      return { outcome: String(args.decision) };
    },
    identify: (_args, vars) => ({ outcome: (vars.person as { beneficiaryId?: number } | undefined)?.beneficiaryId ? "identified" : "choose_person", vars: { person: vars.person ?? guardian } }),
    people_payments: () => ({ outcome: "ok", value: people }),
    select_beneficiary: (args, vars) => ({ outcome: "ok", vars: { person: { ...(vars.person as object), beneficiaryId: Number(args.beneficiaryId), name: people[Number(args.beneficiaryId) - 1].label } } }),
    current_payment: () => ({ outcome: "found", value: { period: "2026-12", amount: 500_000, method: "cash_home", payDate: "2026-12-05", status: "scheduled" } }),
  }).engine;
};

const LINES = [
  "Hoàng Thị Bình: sẽ chi trả ngày 05/12/2026",
  "Lương Minh Đức: đã nhận ngày 04/12/2026",
  "Nông Văn Sơn: chưa chi trả được: Tài khoản không tồn tại",
  // No reason or date on the list: the status word alone, as the list of people says it.
  "Vi Thị Hoa: bị trả lại",
  "Đinh Thị Mai: chưa có trong danh sách",
];

describe("engine: TT from a guardian of several people", () => {
  it("a first SMS 'TT' answers everyone's status at once, one line each, names shortened by SMS", async () => {
    const chat = new Chat(setup(), { channel: "sms", userId: "+84987654321" });
    const reply = await chat.say("TT");
    expect(reply.texts).toEqual(["Kỳ 12/2026:", ...LINES.map((line) => line.replace(/^[^:]+/, (name) => people.find((p) => p.label === name)!.shortLabel))]);
    expect(reply.choices.map((c) => c.label)).toEqual(["Xem chi tiết từng người"]);
    expect(reply.unmatched).toBeUndefined();
  });

  it("'TT' held back by the personal-data notice is answered with everyone's status once the guardian agrees", async () => {
    const chat = new Chat(setup("needed"), { channel: "sms", userId: "+84987654322" });
    expect(text(await chat.say("TT"))).toContain("Thông báo về dữ liệu cá nhân");
    const reply = await chat.say("1");
    expect(reply.texts[0]).toBe("Kỳ 12/2026:");
    expect(reply.texts).toHaveLength(1 + people.length);
    expect(chat.session?.node).toBe("everyone");
  });

  it("keys dialled with the code are not pressed on the guardian's list: they wait for the main menu", async () => {
    const chat = new Chat(setup("needed"), { channel: "ussd", userId: "+84987654323" });
    await chat.startWith("1");
    const pick = await chat.say("1"); // agrees
    expect(pick.choices).toHaveLength(people.length);
    expect(chat.session?.deferredInputs).toEqual(["1"]);
    const status = await chat.say("2"); // chooses Đức: the main menu, where the dialled "1" opens his payment
    expect(status.texts[0]).toBe("Kỳ 12/2026: Cán bộ sẽ mang tiền đến nhà ngày 05/12/2026.");
  });

  it("on a chat, the word gives full names, even after a person was chosen; the menu's status stays that person's", async () => {
    const chat = new Chat(setup());
    await chat.start();
    const menu = await chat.say("2");
    expect(menu.texts[0]).toBe("AnSinh - Lương Minh Đức");
    const overview = await chat.say("xem tien");
    expect(overview.texts.slice(1)).toEqual(LINES);
    expect(overview.choices.map((c) => c.label)).toEqual(["Xem chi tiết từng người", "Về menu chính"]);
    // One person's details: the list of people, then that person's menu.
    expect((await chat.say("1")).choices).toHaveLength(people.length);
    expect((await chat.say("3")).texts[0]).toBe("AnSinh - Nông Văn Sơn");
    expect((await chat.say("1")).texts[0]).toBe("Kỳ 12/2026: Cán bộ sẽ mang tiền đến nhà ngày 05/12/2026.");
  });
});
