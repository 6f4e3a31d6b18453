import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EscalationEvent } from "../../src/domain/escalations/escalationEvents.ts";
import { startTelegramTest, textOf, type TelegramTest, type TelegramUser } from "../channels/telegram/telegramTestKit.ts";

// A person on Telegram asks for a person; an operator claims, answers, notes and resolves, all
// through the real express app, the real outbox and the fake Bot API.
let test: TelegramTest;
let events: EscalationEvent[];
let stopListening: () => void;
beforeAll(async () => {
  // The outbox must not wait for morning whatever the hour the test runs at.
  test = await startTelegramTest({ config: { outbox: { quietHours: "00:00-00:00", workers: 1, leaseSeconds: 60, maxAttempts: 3, pollMs: 1000 } } });
  events = [];
  stopListening = desk().events.subscribe((event) => events.push(event));
});
afterAll(async () => {
  stopListening();
  await test.close();
});

const desk = () => test.server.services.escalations;
const sql = () => test.server.services.db.sql;
/** Lets the events published after a transaction reach the listeners. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function askForAPerson(user: TelegramUser, citizenId?: string, dateOfBirth?: string): Promise<number> {
  await user.identifyByCitizenId(citizenId, dateOfBirth);
  await user.press("6");
  const [recorded] = await user.press("1");
  expect(textOf(recorded)).toContain("Cán bộ sẽ trả lời bạn tại đây");
  const row = (await sql().get(`SELECT id FROM Escalation WHERE channel = 'telegram' AND externalId = ? ORDER BY id DESC`, [String(user.id)])) as { id: number };
  return row.id;
}

async function auditOf(id: number): Promise<{ actorKind: string; actorId: string | null; action: string; before: string | null; after: string | null }[]> {
  return (await sql().all(`SELECT actorKind, actorId, action, before, after FROM AuditLog WHERE entity = 'Escalation' AND entityId = ? ORDER BY id`, [String(id)])) as never;
}

describe("an escalation from Telegram, handled by an operator", () => {
  it("appears in the unassigned queue, with its waiting time and a created event", async () => {
    const user = test.user(7101);
    const id = await askForAPerson(user);
    await settle();
    const queued = (await desk().unassigned()).find((e) => e.id === id);
    expect(queued).toMatchObject({ status: "open", topic: "human", channel: "telegram", personName: "Đinh Thị Mai (DEMO)", assignedTo: null });
    expect(queued!.waitingSeconds).toBeGreaterThanOrEqual(0);
    expect(queued!.communeId).toEqual(expect.any(Number));
    expect(events).toContainEqual(expect.objectContaining({ type: "escalation.created", id, communeId: queued!.communeId }));
  });

  it("goes to the one operator who claims it; replies reach the person's chat; the person's words reach the operator", async () => {
    const user = test.user(7102);
    const id = await askForAPerson(user);

    // Before the claim the bot still answers, as always.
    const [beforeClaim] = await user.say("alo có ai không");
    expect(textOf(beforeClaim)).toContain("Chưa hiểu lựa chọn");

    const claimed = (await desk().claim(id, "lan"));
    expect(claimed).toMatchObject({ ok: true, escalation: { status: "claimed", assignedTo: "lan" } });
    expect((await desk().claim(id, "minh"))).toMatchObject({ ok: false, error: "claimed_by_other", assignedTo: "lan" });
    expect((await desk().unassigned()).some((e) => e.id === id)).toBe(false);
    expect((await desk().mine("lan")).map((e) => e.id)).toContain(id);
    expect((await desk().mine("minh")).map((e) => e.id)).not.toContain(id);

    const replied = (await desk().reply(id, "lan", "Chào chị Mai, tôi là Lan ở xã. Chị cần hỏi gì ạ?"));
    expect(replied.ok).toBe(true);
    const sentBefore = test.fake.delivered(user.id).length;
    const counts = await test.server.services.outbox.drain();
    expect(counts.sent).toBe(1);
    const [answer] = test.fake.delivered(user.id).slice(sentBefore);
    expect(answer.method).toBe("sendMessage");
    expect(textOf(answer)).toBe("Cán bộ trả lời: Chào chị Mai, tôi là Lan ở xã. Chị cần hỏi gì ạ?");
    await settle();
    const reply = (await desk().detail(id))!.conversation.find((e) => e.kind === "operator_reply")!;
    expect(reply).toMatchObject({ author: "lan", channelDelivery: "sent" });
    expect(events).toContainEqual(expect.objectContaining({ type: "escalation.message", id, messageId: reply.messageId, kind: "operator_reply" }));

    // The person's free text goes to the operator: the bot acknowledges, and shows no menu.
    const eventsBefore = events.length;
    const [ack] = await user.say("Tháng này em chưa nhận được tiền, CCCD của em là 020190003333");
    expect(textOf(ack)).toContain("Cán bộ đang trả lời bạn");
    expect(textOf(ack)).not.toContain("Chưa hiểu lựa chọn");
    expect(textOf(ack)).not.toContain("AnSinh - ");
    expect(ack.payload.reply_markup).toEqual({ remove_keyboard: true });
    // A button-like number is words for the operator too, not a menu choice.
    const [ackAgain] = await user.say("1");
    expect(textOf(ackAgain)).toContain("Cán bộ đang trả lời bạn");
    // So is asking for a person: they have one.
    const [ackHuman] = await user.say("gặp cán bộ");
    expect(textOf(ackHuman)).toContain("Cán bộ đang trả lời bạn");
    await settle();

    const conversation = (await desk().detail(id))!.conversation;
    const toOperator = conversation.filter((e) => e.toOperator);
    expect(toOperator.map((e) => e.text)).toEqual(["Tháng này em chưa nhận được tiền, CCCD của em là ***3333", "1", "gặp cán bộ"]);
    expect(toOperator.every((e) => e.kind === "person" && e.messageId !== null)).toBe(true);
    // The ID number is masked wherever the words are stored.
    const stored = JSON.stringify([conversation, (await sql().all(`SELECT text FROM MessageLog WHERE externalId = '7102'`)), (await sql().all(`SELECT text FROM EscalationMessage`))]);
    expect(stored).not.toContain("020190003333");
    expect(events.slice(eventsBefore).filter((e) => e.type === "escalation.message" && e.kind === "person")).toHaveLength(3);
    // The whole conversation is in time order: the request, the reply, then the person's answers.
    const kinds = conversation.map((e) => e.kind);
    expect(kinds.indexOf("operator_reply")).toBeLessThan(kinds.indexOf("person", kinds.indexOf("operator_reply")));
    expect(conversation.some((e) => e.kind === "bot" && e.text.includes("Gửi yêu cầu gặp cán bộ?"))).toBe(true);
    expect(conversation.some((e) => e.kind === "system" && e.text === "claimed" && e.author === "lan")).toBe(true);
  });

  it("keeps notes private: nothing reaches the person", async () => {
    const user = test.user(7103);
    const id = await askForAPerson(user);
    await desk().claim(id, "lan");
    const before = test.fake.delivered(user.id).length;
    const noted = (await desk().note(id, "lan", "Đã gọi xã Bắc Sơn, chờ danh sách tháng 12"));
    expect(noted.ok).toBe(true);
    // Any operator may leave a note, even on an escalation they do not hold.
    expect((await desk().note(id, "minh", "Tôi sẽ kiểm tra ngân hàng")).ok).toBe(true);
    await test.server.services.outbox.drain();
    expect(test.fake.delivered(user.id).length).toBe(before);
    expect((await sql().get(`SELECT COUNT(*) AS n FROM OutboxMessage WHERE externalId = '7103'`))).toEqual({ n: 0 });
    const notes = (await desk().detail(id))!.conversation.filter((e) => e.kind === "note");
    expect(notes.map((n) => [n.author, n.text, n.channelDelivery])).toEqual([
      ["lan", "Đã gọi xã Bắc Sơn, chờ danh sách tháng 12", null],
      ["minh", "Tôi sẽ kiểm tra ngân hàng", null],
    ]);
  });

  it("returns the person to the bot on a global word and tells the operator; a new reply takes the conversation back", async () => {
    const user = test.user(7104);
    const id = await askForAPerson(user);
    await desk().claim(id, "lan");
    await user.say("Cho em hỏi về tiền tháng 12");

    const [menu] = await user.say("menu");
    expect(textOf(menu)).toContain("AnSinh - Đinh Thị Mai (DEMO)");
    await settle();
    expect((await desk().get(id))).toMatchObject({ status: "claimed", assignedTo: "lan", handedBackAt: expect.any(Date) });
    const system = (await desk().detail(id))!.conversation.filter((e) => e.kind === "system").map((e) => e.text);
    expect(system).toEqual(["claimed", "person_returned_to_bot:home"]);
    expect(events).toContainEqual(expect.objectContaining({ type: "escalation.updated", id, status: "claimed" }));
    // The bot answers again: a menu choice works.
    const [status] = await user.press("1");
    expect(textOf(status)).toContain("Kỳ 12/2026");

    // The operator answers: the conversation is theirs again.
    expect((await desk().reply(id, "lan", "Tiền tháng 12 sẽ về ngày 05/12.")).ok).toBe(true);
    expect((await desk().get(id))!.handedBackAt).toBeNull();
    const [ack] = await user.say("Dạ em cảm ơn");
    expect(textOf(ack)).toContain("Cán bộ đang trả lời bạn");
    expect((await auditOf(id)).map((a) => a.action)).toEqual([
      "escalation.opened",
      "escalation.claimed",
      "escalation.person_returned_to_bot",
      "escalation.replied",
    ]);
  });

  it("tells the operator when the person, back with the bot, asks for a person again; their words go to the operator again", async () => {
    const user = test.user(7109);
    const id = await askForAPerson(user);
    await desk().claim(id, "lan");
    await user.say("menu");
    await user.press("6");
    const [again] = await user.press("1");
    expect(textOf(again)).not.toContain("Cán bộ đang trả lời bạn"); // the bot's own answer: already recorded
    await settle();
    expect((await desk().get(id))).toMatchObject({ status: "claimed", handedBackAt: null });
    const system = (await desk().detail(id))!.conversation.filter((e) => e.kind === "system").map((e) => e.text);
    expect(system).toEqual(["claimed", "person_returned_to_bot:home", "person_asked_again"]);
    expect(events).toContainEqual(expect.objectContaining({ type: "escalation.message", id, kind: "system" }));
    const [ack] = await user.say("Em vẫn chưa nhận được tiền");
    expect(textOf(ack)).toContain("Cán bộ đang trả lời bạn");
    expect((await desk().detail(id))!.conversation.filter((e) => e.kind === "person").map((e) => e.text)).toContain("Em vẫn chưa nhận được tiền");
  });

  it("hands back to the bot, then resolves with a reason: the bot answers the person again, and every step is audited", async () => {
    const user = test.user(7105);
    const id = await askForAPerson(user);
    await desk().claim(id, "lan");
    await desk().reply(id, "lan", "Chị đợi một chút nhé");

    const [held] = await user.say("Vâng");
    expect(textOf(held)).toContain("Cán bộ đang trả lời bạn");

    expect((await desk().handBack(id, "minh"))).toMatchObject({ ok: false, error: "claimed_by_other" });
    expect((await desk().handBack(id, "lan"))).toMatchObject({ ok: true, escalation: { status: "claimed", handedBackAt: expect.any(Date) } });
    expect((await desk().handBack(id, "lan"))).toMatchObject({ ok: false, error: "already_with_bot" });
    // The bot answers again, from where the person was: "1" on the screen they last saw is the main menu.
    const [afterHandBack] = await user.say("1");
    expect(textOf(afterHandBack)).not.toContain("Cán bộ đang trả lời bạn");
    expect(textOf(afterHandBack)).toContain("AnSinh - Đinh Thị Mai (DEMO)");

    expect((await desk().resolve(id, "lan", "  "))).toMatchObject({ ok: false, error: "invalid" });
    expect((await desk().resolve(id, "minh", "không phải của tôi"))).toMatchObject({ ok: false, error: "claimed_by_other" });
    const resolved = (await desk().resolve(id, "lan", "Đã giải thích lịch chi trả"));
    expect(resolved).toMatchObject({ ok: true, escalation: { status: "resolved", resolution: "Đã giải thích lịch chi trả", resolvedAt: expect.any(Date) } });
    expect((await desk().resolved()).map((e) => e.id)).toContain(id);
    expect((await desk().mine("lan")).map((e) => e.id)).not.toContain(id);
    expect((await desk().reply(id, "lan", "còn gì nữa không?"))).toMatchObject({ ok: false, error: "resolved" });
    const [bot] = await user.say("00");
    expect(textOf(bot)).toContain("AnSinh - Đinh Thị Mai (DEMO)");

    const audit = await auditOf(id);
    expect(audit.map((a) => [a.actorKind, a.actorId, a.action])).toEqual([
      [expect.any(String), expect.any(String), "escalation.opened"],
      ["staff", "lan", "escalation.claimed"],
      ["staff", "lan", "escalation.replied"],
      ["staff", "lan", "escalation.handed_back"],
      ["staff", "lan", "escalation.resolved"],
    ]);
    const claimedEntry = audit[1];
    expect(JSON.parse(claimedEntry.before!)).toEqual({ status: "open", assignedTo: null });
    expect(JSON.parse(claimedEntry.after!)).toEqual({ status: "claimed", assignedTo: "lan" });
    expect(JSON.parse(audit[4].after!)).toMatchObject({ status: "resolved", resolution: "Đã giải thích lịch chi trả" });
  });

  it("marks a reply that could not reach the person as failed", async () => {
    const user = test.user(7107);
    const id = await askForAPerson(user);
    await desk().claim(id, "lan");
    test.fake.fail("sendMessage", { kind: "blocked" }, { chatId: user.id });
    await desk().reply(id, "lan", "Chị còn cần hỗ trợ không?");
    expect((await test.server.services.outbox.drain()).failed).toBe(1);
    test.fake.recover();
    await settle();
    expect((await desk().detail(id))!.conversation.find((e) => e.kind === "operator_reply")!.channelDelivery).toBe("failed");
    expect((await desk().detail(id))!.contact.unreachable).toBe(true);
  });

  it("shows the person's payments and method masked, and their earlier escalations", async () => {
    // Someone no other test here asks about, so the earlier escalations are this test's own.
    const user = test.user(7106);
    const first = await askForAPerson(user, "020050001234", "05/03/1950");
    await desk().claim(first, "lan");
    await desk().resolve(first, "lan", "Đã trả lời");
    const second = await askForAPerson(user, "020050001234", "05/03/1950");
    const detail = (await desk().detail(second))!;
    expect(detail.person).toMatchObject({ citizenId: "***1234", dateOfBirth: "1950-03-05" });
    expect(detail.payments.length).toBeGreaterThan(0);
    expect(detail.payments[0]).toMatchObject({ period: "2026-12", status: expect.any(String) });
    for (const payment of detail.payments) if (payment.account !== null) expect(payment.account).toMatch(/^\*\*\*\d{4}$/);
    if (detail.person!.method.account !== null) expect(detail.person!.method.account).toMatch(/^\*\*\*\d{4}$/);
    expect(detail.contact).toMatchObject({ verification: "citizen_id_dob", locale: "vi", unreachable: false });
    expect(detail.earlier.map((e) => [e.id, e.status])).toEqual([[first, "resolved"]]);
  });
});
