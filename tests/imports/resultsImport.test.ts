import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { ImportFileError } from "../../src/domain/imports/importReport.ts";
import { formatResultImportReport, importResultList } from "../../src/domain/imports/importResultList.ts";
import { parsePaidAt, parseResultStatus } from "../../src/domain/imports/resultListValues.ts";
import { maskNumbersInText } from "../../src/shared/mask.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { sampleRows, scalar, toGrid, writeCsv } from "./paymentListFixture.ts";

const secret = loadSecret();
/** The import's clock: after July 2025's pay days. */
const NOW = new Date("2025-08-01T03:00:00Z");
const HEADER = "Mã đối tượng,Kỳ chi trả,Kết quả chi trả,Ngày chi trả,Mã giao dịch,Lý do";

let t: TempDatabase;
beforeEach(async () => {
  t = await tempDatabase();
  // LS-0001 (bank), LS-0002 (mobile money), LS-0003 (cash, through a guardian), all for 2025-07.
  const report = await importPaymentList(t.db, writeCsv(t.dir, "list-07.csv", toGrid(sampleRows())), { secret });
  expect(report.rejected).toBe(0);
});
afterEach(async () => {
  await t.cleanup();
});

function csv(name: string, lines: string[], header = HEADER): string {
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, "\uFEFF" + [header, ...lines].join("\r\n") + "\r\n");
  return file;
}

const beneficiaryId = async (code: string) => (await scalar(t.db, `SELECT id FROM Beneficiary WHERE code = ?`, [code])) as number;

/** The people the bot can reach: LS-0001 on Telegram and USSD, LS-0002 on Telegram but unreachable, LS-0003's guardian on Zalo. */
async function createIdentities(): Promise<Record<string, number>> {
  const at = sqlTimestamp(NOW);
  const insert = `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, guardianId, verification, verifiedAt, locale, unreachable, createdAt, updatedAt)
     VALUES (@channel, @externalId, @beneficiaryId, @guardianId, 'phone', @at, @locale, @unreachable, @at, @at) RETURNING id`;
  const guardianId = (await scalar(t.db, `SELECT id FROM Guardian WHERE fullName = 'Nông Thị Hoa'`)) as number;
  const identity = async (channel: string, externalId: string, who: { beneficiaryId?: number; guardianId?: number }, locale = "vi", unreachable = false) =>
    Number(
      (await t.db.sql.get<{ id: number }>(insert, { channel, externalId, beneficiaryId: who.beneficiaryId ?? null, guardianId: who.guardianId ?? null, at, locale, unreachable }))!.id,
    );
  return {
    paoTelegram: await identity("telegram", "1001", { beneficiaryId: await beneficiaryId("LS-0001") }),
    paoUssd: await identity("ussd", "+84912345678", { beneficiaryId: await beneficiaryId("LS-0001") }, "en"),
    maiTelegram: await identity("telegram", "1002", { beneficiaryId: await beneficiaryId("LS-0002") }, "vi", true),
    hoaZalo: await identity("zalo", "2003", { guardianId }),
  };
}

type PaymentResult = { code: string; status: string; paidAt: string | null; reference: string | null; failureReason: string | null };
/** The July 2025 payments' results by beneficiary code. */
async function results(): Promise<Record<string, Omit<PaymentResult, "code">>> {
  const rows = (await t.db.sql.all(`SELECT b.code, p.status, p.paidAt, p.reference, p.failureReason FROM Payment p JOIN Beneficiary b ON b.id = p.beneficiaryId
       JOIN PaymentPeriod pp ON pp.id = p.periodId WHERE pp.period = '2025-07' ORDER BY b.code`)) as PaymentResult[];
  return Object.fromEntries(rows.map(({ code, ...r }) => [code, { ...r, paidAt: r.paidAt && new Date(r.paidAt).toISOString() }]));
}

const outbox = async () =>
  (await t.db.sql.all(`SELECT channel, externalId, identityId, paymentId, kind, locale, status FROM OutboxMessage ORDER BY id`)) as {
    channel: string;
    externalId: string;
    identityId: number;
    paymentId: number;
    kind: string;
    locale: string;
    status: string;
  }[];
const resultAudits = async () =>
  ((await t.db.sql.all(`SELECT actorKind, actorId, entity, entityId, before, after FROM AuditLog WHERE action = 'payment.result' ORDER BY id`)) as {
    actorKind: string;
    actorId: string;
    entity: string;
    entityId: string;
    before: string;
    after: string;
  }[]).map((a) => ({ ...a, before: JSON.parse(a.before), after: JSON.parse(a.after) }));
const count = async (table: string) => (await scalar(t.db, `SELECT COUNT(*) FROM "${table}"`)) as number;
/** The id of a July 2025 payment. */
const paymentId = async (code: string) =>
  (await scalar(t.db, `SELECT p.id FROM Payment p JOIN Beneficiary b ON b.id = p.beneficiaryId JOIN PaymentPeriod pp ON pp.id = p.periodId WHERE b.code = ? AND pp.period = '2025-07'`, [code])) as number;

describe("the values of a results file", () => {
  it("reads the result in English or Vietnamese, with or without diacritics", () => {
    for (const [text, status] of [
      ["paid", "paid"],
      ["Đã chi trả", "paid"],
      ["da tra", "paid"],
      ["ĐÃ TRẢ", "paid"],
      ["failed", "failed"],
      ["Lỗi", "failed"],
      ["Không thành công", "failed"],
      ["thất bại", "failed"],
      ["returned", "returned"],
      ["Trả lại", "returned"],
      ["hoàn trả", "returned"],
    ]) {
      expect(parseResultStatus(text), text).toEqual({ ok: true, value: status });
    }
    expect(parseResultStatus("scheduled")).toMatchObject({ ok: false });
    expect(parseResultStatus("chưa rõ")).toEqual({
      ok: false,
      reason: '"chưa rõ" is not a result: write paid (đã chi trả), failed (không thành công) or returned (trả lại)',
    });
  });

  it("reads paid_at as Vietnam time unless it says otherwise", () => {
    const at = (text: string) => {
      const parsed = parsePaidAt(text);
      return parsed.ok ? { at: parsed.value.at.toISOString(), dateOnly: parsed.value.dateOnly, localDate: parsed.value.localDate } : parsed.reason;
    };
    expect(at("10/07/2025")).toEqual({ at: "2025-07-09T17:00:00.000Z", dateOnly: true, localDate: "2025-07-10" });
    expect(at("10/07/2025 09:15")).toEqual({ at: "2025-07-10T02:15:00.000Z", dateOnly: false, localDate: "2025-07-10" });
    expect(at("10/07/2025 00:30:15")).toEqual({ at: "2025-07-09T17:30:15.000Z", dateOnly: false, localDate: "2025-07-10" });
    expect(at("14h30 10/07/2025")).toEqual({ at: "2025-07-10T07:30:00.000Z", dateOnly: false, localDate: "2025-07-10" });
    expect(at("2025-07-10")).toMatchObject({ at: "2025-07-09T17:00:00.000Z", dateOnly: true });
    expect(at("2025-07-10T09:15:00")).toMatchObject({ at: "2025-07-10T02:15:00.000Z" });
    expect(at("2025-07-10T02:15:00Z")).toMatchObject({ at: "2025-07-10T02:15:00.000Z" });
    expect(at("2025-07-10T09:15:00+07:00")).toMatchObject({ at: "2025-07-10T02:15:00.000Z" });
    for (const bad of ["31/06/2025", "10/07/2025 25:00", "hôm qua", "10/07", "2025-07-10Z"]) {
      expect(at(bad), bad).toMatch(/is not a date: write dd\/mm\/yyyy or dd\/mm\/yyyy HH:mm \(Vietnam time\)$/);
    }
  });

  it("keeps only the last 4 digits of a number quoted in a failure reason", () => {
    expect(maskNumbersInText("Tài khoản 8888 0123 4567 bị khóa")).toBe("Tài khoản ***4567 bị khóa");
    expect(maskNumbersInText("Ví 0987.654.321 chưa kích hoạt")).toBe("Ví ***4321 chưa kích hoạt");
    expect(maskNumbersInText("Sai tên, hạn 30/07/2025")).toBe("Sai tên, hạn 30/07/2025");
  });
});

describe("import results", () => {
  it("records a CSV (BOM, Vietnamese headers) of results, audits each change and queues the right notice for each reachable identity", async () => {
    const ids = (await createIdentities());
    const file = csv("ket-qua-07.csv", [
      "LS-0001,2025-07,Đã chi trả,10/07/2025 09:15,FT2519100001,",
      "LS-0002,07/2025,Không thành công,,,Tài khoản 8888 0123 4567 bị khóa",
      "LS-0003,Tháng 7/2025,trả lại,05/07/2025,BD-778,Người nhận vắng nhà",
    ]);
    const report = await importResultList(t.db, file, { now: NOW });
    expect(report).toMatchObject({
      fileName: "ket-qua-07.csv",
      rows: 3,
      accepted: 3,
      rejected: 0,
      created: 3,
      updated: 0,
      unchanged: 0,
      periods: ["2025-07"],
      byStatus: { paid: 1, failed: 1, returned: 1 },
      statusChanged: 3,
      noticesQueued: 3,
      withoutReason: 0,
      problems: [],
    });
    expect((await results())).toEqual({
      "LS-0001": { status: "paid", paidAt: "2025-07-10T02:15:00.000Z", reference: "FT2519100001", failureReason: null },
      "LS-0002": { status: "failed", paidAt: null, reference: null, failureReason: "Tài khoản ***4567 bị khóa" },
      "LS-0003": { status: "returned", paidAt: "2025-07-04T17:00:00.000Z", reference: "BD-778", failureReason: "Người nhận vắng nhà" },
    });

    // LS-0002's only identity is unreachable: no message; LS-0001 on both channels, LS-0003 through the guardian.
    expect((await outbox())).toEqual([
      { channel: "telegram", externalId: "1001", identityId: ids.paoTelegram, paymentId: (await paymentId("LS-0001")), kind: "payment_paid", locale: "vi", status: "pending" },
      { channel: "ussd", externalId: "+84912345678", identityId: ids.paoUssd, paymentId: (await paymentId("LS-0001")), kind: "payment_paid", locale: "en", status: "pending" },
      { channel: "zalo", externalId: "2003", identityId: ids.hoaZalo, paymentId: (await paymentId("LS-0003")), kind: "payment_returned", locale: "vi", status: "pending" },
    ]);

    const runId = (await scalar(t.db, `SELECT id FROM ImportRun WHERE kind = 'results'`)) as number;
    expect((await t.db.sql.get(`SELECT kind, fileName, rows, accepted, rejected, changed, dryRun FROM ImportRun WHERE id = ?`, [runId]))).toEqual({
      kind: "results",
      fileName: "ket-qua-07.csv",
      rows: 3,
      accepted: 3,
      rejected: 0,
      changed: 3,
      dryRun: 0,
    });
    const scheduled = { status: "scheduled", paidAt: null, reference: null, failureReason: null };
    expect((await resultAudits())).toEqual([
      {
        actorKind: "import",
        actorId: `import-run:${runId}`,
        entity: "Payment",
        entityId: String((await paymentId("LS-0001"))),
        before: scheduled,
        after: { status: "paid", paidAt: "2025-07-10T02:15:00.000Z", reference: "FT2519100001", failureReason: null },
      },
      {
        actorKind: "import",
        actorId: `import-run:${runId}`,
        entity: "Payment",
        entityId: String((await paymentId("LS-0002"))),
        before: scheduled,
        after: { status: "failed", paidAt: null, reference: null, failureReason: "Tài khoản ***4567 bị khóa" },
      },
      {
        actorKind: "import",
        actorId: `import-run:${runId}`,
        entity: "Payment",
        entityId: String((await paymentId("LS-0003"))),
        before: scheduled,
        after: { status: "returned", paidAt: "2025-07-04T17:00:00.000Z", reference: "BD-778", failureReason: "Người nhận vắng nhà" },
      },
    ]);
    expect(JSON.stringify((await t.db.sql.all(`SELECT * FROM AuditLog`)))).not.toContain("888801234567");
  });

  it("reads an XLSX with Date cells for paid_at (with and without a time) and a period Excel turned into a date", async () => {
    const file = path.join(t.dir, "ket-qua.xlsx");
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Kết quả");
    sheet.addRow(["KẾT QUẢ CHI TRẢ THÁNG 7/2025"]);
    sheet.addRow(["STT", "Mã đối tượng", "Kỳ", "Trạng thái", "Thời gian chi trả", "Số tham chiếu", "Lý do"]);
    sheet.addRow(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"]);
    // exceljs keeps the wall-clock time as UTC fields: 10/07/2025 14:30 as typed in Vietnam.
    sheet.addRow([1, "LS-0001", new Date(Date.UTC(2025, 6, 1)), "paid", new Date(Date.UTC(2025, 6, 10, 14, 30)), 2519100001, null]);
    sheet.addRow([2, "LS-0002", "2025-07", "Đã trả", new Date(Date.UTC(2025, 6, 11)), "VTM-1", null]);
    sheet.addRow([3, "LS-0003", "2025-07", "đã chi trả", 45848.5, null, null]); // a bare day number with a time: 10/07/2025 12:00
    sheet.addRow(["Tổng cộng", null, null, null, null, null, null]);
    sheet.getColumn(3).numFmt = "mm/yyyy";
    sheet.getColumn(5).numFmt = "dd/mm/yyyy hh:mm";
    sheet.getRow(6).getCell(5).numFmt = "0.00"; // the date style lost: exceljs gives the number
    await workbook.xlsx.writeFile(file);

    const report = await importResultList(t.db, file, { now: NOW });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ rows: 3, accepted: 3, created: 3 });
    expect((await results())).toMatchObject({
      "LS-0001": { status: "paid", paidAt: "2025-07-10T07:30:00.000Z", reference: "2519100001" },
      "LS-0002": { status: "paid", paidAt: "2025-07-10T17:00:00.000Z", reference: "VTM-1" },
      "LS-0003": { status: "paid", paidAt: "2025-07-10T05:00:00.000Z", reference: null },
    });
  });

  it("reports each bad row with its row, column and what to do, and lets the good rows land", async () => {
    // A second period whose list has LS-0001 only.
    const august = sampleRows()
      .slice(0, 1)
      .map((row) => ({ ...row, "Kỳ chi trả": "2025-08", "Ngày chi trả": "10/08/2025" }));
    await importPaymentList(t.db, writeCsv(t.dir, "list-08.csv", toGrid(august)), { secret });
    const file = csv("bad.csv", [
      "LS-0001,2025-07,đã chi trả,10/07/2025,FT1,", // row 2: good
      "LS-9999,2025-07,đã chi trả,,,", // 3: unknown code
      "LS-0002,2025-06,đã chi trả,,,", // 4: no list for June
      "LS-0002,2025-08,đã chi trả,,,", // 5: not on August's list
      "LS-0106,2025-07,chưa rõ,,,", // 6: bad status (rows with their own problem are not looked up)
      "LS-0107,2025-07,đã chi trả,31/06/2025,,", // 7: bad date
      "LS-0108,2025-07,đã chi trả,02/08/2025,,", // 8: in the future (the clock says 01/08/2025)
      "LS-0001,2025-07,đã chi trả,10/07/2025,FT1,", // 9: LS-0001 again
      "LS-0110,2025-07,lỗi,10/07/2025,,Sai số tài khoản", // 10: failed with a paid date
      "LS-0111,2025-07,đã chi trả,,,Vắng nhà", // 11: paid with a failure reason
      ",2025-07,đã chi trả,,,", // 12: no code
      "LS-0113,13/2025,trả lại,,,Hoàn trả", // 13: bad period
      "LS-0002,2025-07,Thất bại,,,", // 14: good: failed without a reason is accepted
      "LS-0106,2025-07,đã chi trả,,,", // 15: the payment of row 6 again
    ]);
    const report = await importResultList(t.db, file, { now: NOW });
    expect(report.problems).toEqual([
      { row: 3, column: "beneficiary_code", reason: "no beneficiary has the code LS-9999: check it against the payment list" },
      { row: 4, column: "period", reason: "no payment list for 2025-06 has been imported: import it first, or check the period" },
      { row: 5, column: "period", reason: "LS-0002 is not on the payment list of 2025-08: check the period and the code" },
      { row: 6, column: "status", reason: '"chưa rõ" is not a result: write paid (đã chi trả), failed (không thành công) or returned (trả lại)' },
      { row: 7, column: "paid_at", reason: '"31/06/2025" is not a date: write dd/mm/yyyy or dd/mm/yyyy HH:mm (Vietnam time)' },
      { row: 8, column: "paid_at", reason: "02/08/2025 is in the future: a payment cannot be paid before it happens; check the date" },
      { row: 9, column: "beneficiary_code", reason: "LS-0001 for 2025-07 is already on row 2: one result per payment, keep one row" },
      { row: 10, column: "paid_at", reason: "a failed payment was not paid: leave paid_at blank and write why in failure_reason" },
      { row: 11, column: "failure_reason", reason: "a paid payment has no failure reason: leave it blank, or write failed or returned in status" },
      { row: 12, column: "beneficiary_code", reason: "is empty: write the beneficiary code (mã đối tượng) as on the payment list" },
      { row: 13, column: "period", reason: '"13/2025" is not a period: write yyyy-mm, e.g. 2025-07' },
      { row: 15, column: "beneficiary_code", reason: "LS-0106 for 2025-07 is already on row 6: one result per payment, keep one row" },
    ]);
    expect(report).toMatchObject({ rows: 14, accepted: 2, rejected: 12, created: 2, withoutReason: 1, aborted: false });
    expect((await results())).toMatchObject({
      "LS-0001": { status: "paid" },
      "LS-0002": { status: "failed", failureReason: null },
      "LS-0003": { status: "scheduled" },
    });
    const text = formatResultImportReport(report);
    expect(text).toContain("Payment results bad.csv (period 2025-07)");
    expect(text).toContain("by status: paid 1, failed 1, returned 0");
    expect(text).toContain("Note: 1 failed or returned rows have no failure_reason");
    expect(text).toContain("row 3, column beneficiary_code: no beneficiary has the code LS-9999");
  });

  it("writes nothing with all-or-nothing when a row is bad, and everything when none is", async () => {
    (await createIdentities());
    const bad = csv("bad.csv", ["LS-0001,2025-07,paid,10/07/2025,,", "LS-0002,2025-07,paid,hôm qua,,"]);
    const report = await importResultList(t.db, bad, { now: NOW, allOrNothing: true });
    expect(report).toMatchObject({ rows: 2, accepted: 0, rejected: 1, aborted: true, created: 0, noticesQueued: 0 });
    expect(formatResultImportReport(report)).toContain("Nothing was written: all-or-nothing was asked");
    expect((await results())["LS-0001"].status).toBe("scheduled");
    expect((await count("OutboxMessage"))).toBe(0);
    expect((await resultAudits())).toEqual([]);

    const good = csv("good.csv", ["LS-0001,2025-07,paid,10/07/2025,,", "LS-0002,2025-07,paid,10/07/2025,,"]);
    expect(await importResultList(t.db, good, { now: NOW, allOrNothing: true })).toMatchObject({ accepted: 2, created: 2, noticesQueued: 2 });
    expect((await results())["LS-0002"].status).toBe("paid");
  });

  it("writes nothing and queues nothing on a dry run, yet counts what an import would do", async () => {
    (await createIdentities());
    const file = csv("dry.csv", ["LS-0001,2025-07,paid,10/07/2025,FT1,", "LS-0003,2025-07,returned,,,Vắng nhà", "LS-0002,2025-07,paid,32/07/2025,,"]);
    const snapshot = async () => (await t.db.sql.all(`SELECT * FROM Payment ORDER BY id`));
    const before = (await snapshot());
    const auditsBefore = (await count("AuditLog"));
    const dry = await importResultList(t.db, file, { now: NOW, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, rows: 3, accepted: 2, rejected: 1, created: 2, statusChanged: 2, noticesQueued: 0 });
    expect((await snapshot())).toEqual(before);
    expect((await count("AuditLog"))).toBe(auditsBefore);
    expect((await count("OutboxMessage"))).toBe(0);
    expect((await t.db.sql.all(`SELECT kind, dryRun, changed FROM ImportRun WHERE kind = 'results'`))).toEqual([{ kind: "results", dryRun: 1, changed: 2 }]);
    expect(formatResultImportReport(dry)).toContain("a dry run queues no notice");

    const real = await importResultList(t.db, file, { now: NOW });
    expect(real).toMatchObject({ created: dry.created, updated: dry.updated, unchanged: dry.unchanged, statusChanged: dry.statusChanged });
  });

  it("changes nothing and queues nothing when the same file is imported again", async () => {
    (await createIdentities());
    const file = csv("07.csv", ["LS-0001,2025-07,paid,10/07/2025 09:15,FT1,", "LS-0002,2025-07,failed,,,Ví bị khóa", "LS-0003,2025-07,paid,,,"]);
    const first = await importResultList(t.db, file, { now: NOW });
    expect(first).toMatchObject({ created: 3, noticesQueued: 3 }); // LS-0001 on two channels, LS-0003 through the guardian
    const snapshot = async () => ({
      payments: (await t.db.sql.all(`SELECT * FROM Payment ORDER BY id`)),
      audit: (await t.db.sql.all(`SELECT * FROM AuditLog ORDER BY id`)),
      outbox: (await t.db.sql.all(`SELECT * FROM OutboxMessage ORDER BY id`)),
    });
    const before = (await snapshot());
    const second = await importResultList(t.db, file, { now: new Date(NOW.getTime() + 3_600_000) });
    expect(second).toMatchObject({ accepted: 3, created: 0, updated: 0, unchanged: 3, statusChanged: 0, noticesQueued: 0 });
    expect((await snapshot())).toEqual(before); // not even updatedAt moved

    // The same results written differently (a date without the time, blank reference): still nothing to change.
    const sameResults = csv("07-again.csv", ["LS-0001,07/2025,Đã chi trả,10/07/2025,,", "LS-0002,2025-07,Lỗi,,,", "LS-0003,2025-07,Đã trả,,,"]);
    expect(await importResultList(t.db, sameResults, { now: NOW })).toMatchObject({ unchanged: 3, noticesQueued: 0 });
    expect((await snapshot())).toEqual(before);
  });

  it("updates a paid payment that a later file reports returned, and one that failed and was then paid", async () => {
    const ids = (await createIdentities());
    await importResultList(t.db, csv("07.csv", ["LS-0001,2025-07,paid,10/07/2025 09:15,FT1,", "LS-0003,2025-07,failed,,,Vắng nhà"]), { now: NOW });
    const later = await importResultList(
      t.db,
      csv("07-later.csv", ["LS-0001,2025-07,returned,,,Tài khoản đã đóng", "LS-0003,2025-07,paid,20/07/2025 10:00,BD-2,"]),
      { now: NOW },
    );
    expect(later).toMatchObject({ accepted: 2, created: 0, updated: 2, statusChanged: 2, noticesQueued: 3 });
    expect((await results())).toMatchObject({
      // The money went out on the 10th and came back: when it was paid and the reference are kept.
      "LS-0001": { status: "returned", paidAt: "2025-07-10T02:15:00.000Z", reference: "FT1", failureReason: "Tài khoản đã đóng" },
      "LS-0003": { status: "paid", paidAt: "2025-07-20T03:00:00.000Z", reference: "BD-2", failureReason: null },
    });
    expect((await outbox()).map((m) => [m.identityId, m.kind])).toEqual([
      [ids.paoTelegram, "payment_paid"],
      [ids.paoUssd, "payment_paid"],
      [ids.hoaZalo, "payment_failed"],
      [ids.paoTelegram, "payment_returned"],
      [ids.paoUssd, "payment_returned"],
      [ids.hoaZalo, "payment_paid"],
    ]);
    const paoPayment = String(await paymentId("LS-0001"));
    const audits = (await resultAudits()).filter((a) => a.entityId === paoPayment);
    expect(audits.map((a) => [a.before, a.after])).toEqual([
      [
        { status: "scheduled", paidAt: null, reference: null, failureReason: null },
        { status: "paid", paidAt: "2025-07-10T02:15:00.000Z", reference: "FT1", failureReason: null },
      ],
      [
        { status: "paid", paidAt: "2025-07-10T02:15:00.000Z", reference: "FT1", failureReason: null },
        { status: "returned", paidAt: "2025-07-10T02:15:00.000Z", reference: "FT1", failureReason: "Tài khoản đã đóng" },
      ],
    ]);
    // A corrected reference alone is an update, audited, but no new message: the status did not change.
    const corrected = await importResultList(t.db, csv("07-ref.csv", ["LS-0003,2025-07,paid,20/07/2025 10:00,BD-2B,"]), { now: NOW });
    expect(corrected).toMatchObject({ updated: 1, statusChanged: 0, noticesQueued: 0 });
    expect((await outbox())).toHaveLength(6);
  });

  it("reports progress on large files and refuses a file without the required columns", async () => {
    // 12,000 scheduled payments seeded directly (an import of the list would take longer than this test needs).
    const at = sqlTimestamp(NOW);
    const periodId = (await scalar(t.db, `SELECT id FROM PaymentPeriod WHERE period = '2025-07'`)) as number;
    const communeId = (await scalar(t.db, `SELECT communeId FROM Beneficiary LIMIT 1`)) as number;
    const lines: string[] = [];
    await t.db.sql.transaction(async () => {
      for (let i = 0; i < 12_000; i++) {
        const code = `BIG-${i}`;
        const beneficiary = await t.db.sql.get<{ id: number }>(
          `INSERT INTO Beneficiary (code, fullName, dateOfBirth, communeId, category, createdAt, updatedAt) VALUES (?, 'Người Bench', '1950-01-01', ?, 'Người cao tuổi', ?, ?) RETURNING id`,
          [code, communeId, at, at],
        );
        await t.db.sql.run(
          `INSERT INTO Payment (beneficiaryId, periodId, amount, method, payDate, createdAt, updatedAt) VALUES (?, ?, 500000, 'cash', '2025-07-10', ?, ?)`,
          [beneficiary!.id, periodId, at, at],
        );
        lines.push(`${code},2025-07,paid,10/07/2025,,`);
      }
    });
    const progress: [number, number][] = [];
    const report = await importResultList(t.db, csv("big.csv", lines), { now: NOW, onProgress: (done, total) => progress.push([done, total]) });
    expect(report).toMatchObject({ accepted: 12_000, created: 12_000 });
    expect(progress).toEqual([
      [5000, 12_000],
      [10_000, 12_000],
      [12_000, 12_000],
    ]);

    await expect(importResultList(t.db, csv("no-status.csv", ["LS-0001,2025-07"], "Mã đối tượng,Kỳ chi trả"), { now: NOW })).rejects.toThrow(ImportFileError);
    await expect(importResultList(t.db, csv("no-status.csv", ["LS-0001,2025-07"], "Mã đối tượng,Kỳ chi trả"), { now: NOW })).rejects.toThrow(
      /lacks required column status/,
    );
  });
});
