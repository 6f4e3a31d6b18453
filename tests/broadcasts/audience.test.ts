import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countReach } from "../../src/domain/broadcasts/countReach.ts";
import { resolveAudience } from "../../src/domain/broadcasts/audience.ts";
import { createBroadcast } from "../../src/domain/broadcasts/createBroadcast.ts";
import { findBroadcast, listBroadcasts } from "../../src/domain/broadcasts/broadcastRecord.ts";
import { noticeRenderers } from "../../src/channels/noticeRenderers.ts";
import { previewBroadcast } from "../../src/domain/broadcasts/previewBroadcast.ts";
import { createTranslator } from "../../src/i18n/translator.ts";
import { LOCALES_DIR } from "../../src/shared/projectPaths.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { addBeneficiary, addCommune, addGuardian, addIdentity, ussdPhone } from "./broadcastFixture.ts";

let t: TempDatabase;
let bacSon: number;
let trangDinh: number;
let vanQuan: number;
const sql = () => t.db.sql;
const staffOfBacSon = () => ({ communeIds: [bacSon] });

beforeAll(async () => {
  t = await tempDatabase();
  bacSon = await addCommune(sql(), "Bắc Sơn");
  trangDinh = await addCommune(sql(), "Tràng Định");
  vanQuan = await addCommune(sql(), "Văn Quan");
  // Bắc Sơn: 4 elderly paid in cash, 2 disabled paid by bank, 1 whose support ended.
  const elderly: number[] = [];
  for (let i = 0; i < 4; i++) elderly.push(await await addBeneficiary(sql(), { communeId: bacSon }));
  const disabled: number[] = [];
  for (let i = 0; i < 2; i++) disabled.push(await await addBeneficiary(sql(), { communeId: bacSon, category: "Người khuyết tật", method: "bank" }));
  const ended = await addBeneficiary(sql(), { communeId: bacSon, status: "ended" });
  await addIdentity(sql(), { channel: "telegram", externalId: "101", beneficiaryId: elderly[0] });
  await addIdentity(sql(), { channel: "ussd", externalId: ussdPhone(1), beneficiaryId: elderly[0] });
  await addIdentity(sql(), { channel: "zalo", externalId: "z-102", beneficiaryId: elderly[1], locale: "en" });
  await addIdentity(sql(), { channel: "telegram", externalId: "103", beneficiaryId: elderly[2], remindersOn: false }); // said TẮT NHẮC
  await addIdentity(sql(), { channel: "ussd", externalId: ussdPhone(4), beneficiaryId: elderly[3], unreachable: true });
  await addIdentity(sql(), { channel: "ussd", externalId: ussdPhone(5), beneficiaryId: disabled[0] });
  await addIdentity(sql(), { channel: "telegram", externalId: "107", beneficiaryId: ended });
  // A guardian of both disabled people, on Telegram: one person, one message.
  const guardian = await addGuardian(sql(), disabled);
  await addIdentity(sql(), { channel: "telegram", externalId: "108", guardianId: guardian });
  // An identity that never got past identification: nobody to send to.
  await addIdentity(sql(), { channel: "telegram", externalId: "109" });
  // Tràng Định: one person on Zalo.
  const other = await addBeneficiary(sql(), { communeId: trangDinh, category: "Trẻ em mồ côi" });
  await addIdentity(sql(), { channel: "zalo", externalId: "z-201", beneficiaryId: other });
});
afterAll(() => t.cleanup());

describe("who a broadcast may reach", () => {
  it("refuses a commune outside the sender's scope instead of widening or dropping it", async () => {
    expect(await resolveAudience(sql(), { communeIds: [bacSon, trangDinh] }, staffOfBacSon())).toEqual({
      ok: false,
      error: "out_of_scope",
      communeIds: [trangDinh],
      message: `You may not send to commune ${trangDinh}.`,
    });
    // An id that does not exist is outside a staff scope too: nothing tells them it does not exist.
    expect(await resolveAudience(sql(), { communeIds: [9999] }, staffOfBacSon())).toMatchObject({ ok: false, error: "out_of_scope" });
    expect(await resolveAudience(sql(), { communeIds: [9999] }, { communeIds: "all" })).toMatchObject({ ok: false, error: "invalid" });
    expect(await resolveAudience(sql(), {}, { communeIds: [] })).toMatchObject({ ok: false, error: "out_of_scope" });
    expect(await countReach(sql(), { communeIds: [trangDinh] }, staffOfBacSon())).toMatchObject({ ok: false, error: "out_of_scope" });
    expect(await createBroadcast(sql(), { textVi: "x", audience: { communeIds: [trangDinh] }, createdBy: "lan", scope: staffOfBacSon() })).toMatchObject({ ok: false, error: "out_of_scope" });
    expect(await sql().get(`SELECT COUNT(*) AS n FROM Broadcast`)).toEqual({ n: 0 });
  });

  it("makes an audience explicit: no commune means every commune of the scope; unknown categories and methods are refused", async () => {
    expect(await resolveAudience(sql(), {}, staffOfBacSon())).toEqual({ ok: true, audience: { communeIds: [bacSon], categories: [], paymentMethods: [] } });
    expect(await resolveAudience(sql(), {}, { communeIds: "all" })).toEqual({ ok: true, audience: { communeIds: [], categories: [], paymentMethods: [] } });
    expect(await resolveAudience(sql(), { categories: ["Trẻ em mồ côi"] }, staffOfBacSon())).toMatchObject({ ok: false, error: "invalid" });
    expect(await resolveAudience(sql(), { paymentMethods: ["cheque"] }, staffOfBacSon())).toMatchObject({ ok: false, error: "invalid" });
  });

  it("counts people per channel once each, leaving out those who said stop, blocked the bot or whose support ended", async () => {
    const reach = await countReach(sql(), {}, staffOfBacSon());
    expect(reach).toEqual({
      ok: true,
      reach: {
        audience: { communeIds: [bacSon], categories: [], paymentMethods: [] },
        beneficiaries: 6,
        // Telegram: 101 and the guardian 108 (once, though guardian of two); 103 said stop; 107 ended.
        people: { telegram: 2, zalo: 1, ussd: 2, sms: 0, total: 5 },
        stopped: { telegram: 1, zalo: 0, ussd: 0, sms: 0 },
        unreachable: { telegram: 0, zalo: 0, ussd: 1, sms: 0 },
        smsInEnglish: 0,
      },
    });
    const bank = await countReach(sql(), { paymentMethods: ["bank"] }, staffOfBacSon());
    expect(bank.ok && bank.reach.people).toEqual({ telegram: 1, zalo: 0, ussd: 1, sms: 0, total: 2 });
    const disabled = await countReach(sql(), { categories: ["Người khuyết tật"], paymentMethods: ["cash"] }, staffOfBacSon());
    expect(disabled.ok && disabled.reach.people.total).toBe(0);
    const everyone = await countReach(sql(), {}, { communeIds: "all" });
    expect(everyone.ok && everyone.reach.people).toEqual({ telegram: 2, zalo: 2, ussd: 2, sms: 0, total: 6 });
  });
});

describe("broadcast records and scope", () => {
  it("shows a broadcast only to those whose scope holds its whole audience", async () => {
    const mine = await createBroadcast(sql(), { textVi: "  Họp thôn 7h  ", audience: {}, createdBy: " lan ", scope: staffOfBacSon() });
    expect(mine).toMatchObject({ ok: true, broadcast: { textVi: "Họp thôn 7h", textEn: null, createdBy: "lan", status: "draft", audience: { communeIds: [bacSon] } } });
    const wide = await createBroadcast(sql(), { textVi: "Toàn tỉnh", audience: { communeIds: [bacSon, vanQuan] }, createdBy: "admin", scope: { communeIds: "all" } });
    expect(wide.ok).toBe(true);
    const id = mine.ok ? mine.broadcast.id : 0;
    const wideId = wide.ok ? wide.broadcast.id : 0;
    expect(await findBroadcast(sql(), id, { communeIds: [trangDinh] })).toBeNull();
    expect(await findBroadcast(sql(), wideId, staffOfBacSon())).toBeNull();
    expect((await listBroadcasts(sql(), staffOfBacSon())).map((b) => b.id)).toEqual([id]);
    expect((await listBroadcasts(sql(), { communeIds: [bacSon, vanQuan] })).map((b) => b.id)).toEqual([wideId, id]);
    expect(await listBroadcasts(sql(), { communeIds: "all" })).toHaveLength(2);
    const audit = await sql().all(`SELECT actorKind, actorId, action, entity, entityId FROM AuditLog WHERE entity = 'Broadcast' ORDER BY id`);
    expect(audit).toEqual([
      { actorKind: "staff", actorId: "lan", action: "broadcast.created", entity: "Broadcast", entityId: String(id) },
      { actorKind: "staff", actorId: "admin", action: "broadcast.created", entity: "Broadcast", entityId: String(wideId) },
    ]);
  });

  it("refuses an empty or overlong text", async () => {
    expect(await createBroadcast(sql(), { textVi: "   ", audience: {}, createdBy: "lan", scope: staffOfBacSon() })).toMatchObject({ ok: false, error: "invalid" });
    expect(await createBroadcast(sql(), { textVi: "a", textEn: "b".repeat(1001), audience: {}, createdBy: "lan", scope: staffOfBacSon() })).toMatchObject({
      ok: false,
      message: "The English text is 1001 characters long: keep it to 1000.",
    });
  });
});

describe("previewing a broadcast", () => {
  const { translate } = createTranslator(LOCALES_DIR);
  const text = "Thông báo: xã Bắc Sơn chi trả trợ cấp tháng 12 vào ngày 05/12 tại Nhà văn hóa thôn Bản Chu, từ 7h30 đến 11h00. Mang theo CCCD và sổ hộ nghèo nếu có. Không ai được hỏi mã PIN hay OTP của bạn.";

  it("shows USSD without diacritics, with its length and screens against the screen limit", () => {
    const preview = previewBroadcast(text, "vi", { translate, ussdScreenLimit: 160, renderers: noticeRenderers });
    expect(preview.length).toBe(text.length);
    expect(preview.ussd.text.startsWith("Thong bao: xa Bac Son chi tra tro cap thang 12")).toBe(true);
    expect(preview.ussd.length).toBe(text.length); // one letter for one letter, only the marks go
    // The heading shares the first line: on its own it would fill a screen.
    expect(preview.ussd.screens[0].startsWith("Tin nhan moi: Thong bao: xa Bac Son")).toBe(true);
    expect(preview.ussd.pages).toBe(2);
    expect(preview.ussd.screens[0]).toContain("99. Xem them");
    for (const screen of preview.ussd.screens) {
      expect(screen.length).toBeLessThanOrEqual(160);
      expect(screen).toMatch(/^[\x20-\x7e\n]*$/);
    }
    expect(preview.ussd.screens[1]).toMatch(/OTP cua ban\.\n0\. Quay lai$/);
    // On the smallest screens allowed: more pages, none over the limit, nothing lost between them.
    const narrow = previewBroadcast(text, "vi", { translate, ussdScreenLimit: 60, renderers: noticeRenderers }).ussd;
    expect(narrow.pages).toBe(narrow.screens.length);
    expect(narrow.pages).toBeGreaterThan(3);
    for (const screen of narrow.screens) expect(screen.length).toBeLessThanOrEqual(60);
    const body = narrow.screens.flatMap((s) => s.split("\n").filter((line) => !/^(99|0)\. /.test(line)));
    expect(body.join(" ")).toBe(`Tin nhan moi: ${preview.ussd.text}`);
    expect(previewBroadcast("Họp thôn lúc 7h.", "en", { translate, ussdScreenLimit: 160, renderers: noticeRenderers }).ussd).toMatchObject({
      length: 16,
      pages: 1,
      screens: ["New messages: Hop thon luc 7h."],
    });
  });

  it("shows the chat messages as sent: whole on Telegram and Zalo, split only past their limits", () => {
    const preview = previewBroadcast(text, "vi", { translate, ussdScreenLimit: 160, renderers: noticeRenderers });
    expect(preview.telegram.messages).toEqual([text]);
    expect(preview.zalo.messages).toEqual([text]);
    const long = Array.from({ length: 30 }, (_, i) => `Dòng ${i}: ${"chữ ".repeat(20)}`).join("\n");
    expect(previewBroadcast(long, "vi", { translate, ussdScreenLimit: 160, renderers: noticeRenderers }).zalo.messages.length).toBe(2);
    expect(previewBroadcast(long, "vi", { translate, ussdScreenLimit: 160, renderers: noticeRenderers }).telegram.messages.length).toBe(1);
  });
});
