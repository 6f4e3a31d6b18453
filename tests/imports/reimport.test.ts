import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSecret, unseal } from "../../src/shared/secrets.ts";
import { importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { sampleRows, scalar, tableCounts, toGrid, writeCsv, type ListRow } from "./paymentListFixture.ts";

const secret = loadSecret();
let t: TempDatabase;
beforeEach(async () => {
  t = await tempDatabase();
});
afterEach(async () => {
  await t.cleanup();
});

const importRows = (name: string, rows: ListRow[], options: { dryRun?: boolean } = {}) =>
  importPaymentList(t.db, writeCsv(t.dir, name, toGrid(rows)), { secret, ...options });

/** Every column of every row an import writes, to compare before and after. */
async function snapshot() {
  const tables = ["Commune", "Beneficiary", "Guardian", "GuardianLink", "PaymentPeriod", "Payment", "AuditLog"];
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) rows[table] = await t.db.sql.all(`SELECT * FROM ${table} ORDER BY id`);
  return rows;
}

type Audit = { action: string; entity: string; entityId: string; actorKind: string; actorId: string; before: string; after: string };
const audits = async () => (await t.db.sql.all(`SELECT action, entity, entityId, actorKind, actorId, before, after FROM AuditLog ORDER BY id`)) as Audit[];

describe("importing a list again", () => {
  it("changes nothing the second time: every row unchanged, every record as it was", async () => {
    const first = await importRows("07.csv", sampleRows());
    expect(first).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const before = (await snapshot());

    const second = await importRows("07.csv", sampleRows());
    expect(second).toMatchObject({ rows: 3, accepted: 3, created: 0, updated: 0, unchanged: 3 });
    expect((await snapshot())).toEqual(before); // not even updatedAt moved
    expect((await t.db.sql.all(`SELECT rows, changed FROM ImportRun ORDER BY id`))).toEqual([
      { rows: 3, changed: 3 },
      { rows: 3, changed: 0 },
    ]);
  });

  it("a corrected list for the same period updates amount, pay date, method and pay point, and audits only what changed", async () => {
    await importRows("07.csv", sampleRows());
    const corrected = sampleRows();
    corrected[0] = { ...corrected[0], "Số tiền": "1.000.000", "Ngày chi trả": "15/07/2025", "Hình thức chi trả": "Tiền mặt", "Số tài khoản": "", "Ngân hàng": "", "Điểm chi trả": "Bưu điện Tân Thanh" };
    corrected[1] = { ...corrected[1], "Số tài khoản": "0987654321", "Ngân hàng": "Viettel Money" };
    const report = await importRows("07-corrected.csv", corrected);
    expect(report).toMatchObject({ created: 0, updated: 2, unchanged: 1 });

    expect((await t.db.sql.get(`SELECT amount, backPay, payDate, method, accountLast4, payPoint FROM Payment WHERE id = 1`))).toEqual({
      amount: 1000000,
      backPay: 250000, // 1,000,000 against the 750,000 allowance
      payDate: "2025-07-15",
      method: "cash",
      accountLast4: null,
      payPoint: "Bưu điện Tân Thanh",
    });
    const runId = ((await scalar(t.db, `SELECT MAX(id) FROM ImportRun`)) as number).toString();
    const entries = (await audits()).map((a) => ({ ...a, before: JSON.parse(a.before), after: JSON.parse(a.after) }));
    expect(entries).toEqual([
      {
        action: "beneficiary.updated",
        entity: "Beneficiary",
        entityId: "1",
        actorKind: "import",
        actorId: `import-run:${runId}`,
        before: { paymentMethod: "bank", accountProvider: "Agribank", account: "***4567", payPoint: null },
        after: { paymentMethod: "cash", accountProvider: null, account: null, payPoint: "Bưu điện Tân Thanh" },
      },
      {
        action: "payment.updated",
        entity: "Payment",
        entityId: "1",
        actorKind: "import",
        actorId: `import-run:${runId}`,
        before: { amount: 750000, backPay: 0, method: "bank", accountProvider: "Agribank", accountLast4: "4567", payDate: "2025-07-10", payPoint: null },
        after: { amount: 1000000, backPay: 250000, method: "cash", accountProvider: null, accountLast4: null, payDate: "2025-07-15", payPoint: "Bưu điện Tân Thanh" },
      },
      {
        action: "beneficiary.updated",
        entity: "Beneficiary",
        entityId: "2",
        actorKind: "import",
        actorId: `import-run:${runId}`,
        before: { account: null },
        after: { account: "***4321" },
      },
      {
        action: "payment.updated",
        entity: "Payment",
        entityId: "2",
        actorKind: "import",
        actorId: `import-run:${runId}`,
        before: { accountLast4: null },
        after: { accountLast4: "4321" },
      },
    ]);
    const sealed = (await scalar(t.db, `SELECT accountNumberSealed FROM Beneficiary WHERE id = 2`)) as string;
    expect(unseal(sealed, secret)).toBe("0987654321");
  });

  it("does not reset a payment that is already paid", async () => {
    await importRows("07.csv", sampleRows());
    (await t.db.sql.run(`UPDATE Payment SET status = 'paid', paidAt = '2025-07-10T03:00:00.000+00:00', reference = 'BD-77' WHERE id = 3`));
    const corrected = sampleRows();
    corrected[2]["Số tiền"] = "1.200.000";
    const report = await importRows("07-corrected.csv", corrected);
    expect(report).toMatchObject({ updated: 1, unchanged: 2 });
    expect((await t.db.sql.get(`SELECT amount, status, paidAt, reference FROM Payment WHERE id = 3`))).toEqual({
      amount: 1200000,
      status: "paid",
      paidAt: "2025-07-10T03:00:00.000+00:00",
      reference: "BD-77",
    });
  });

  it("next month's list adds a period and payments, and keeps the beneficiaries", async () => {
    await importRows("07.csv", sampleRows());
    const august = sampleRows().map((r) => ({ ...r, "Kỳ chi trả": "2025-08", "Ngày chi trả": "10/08/2025" }));
    const report = await importRows("08.csv", august);
    expect(report).toMatchObject({ created: 3, updated: 0, unchanged: 0, periods: ["2025-08"] });
    expect((await tableCounts(t.db))).toMatchObject({ Beneficiary: 3, Guardian: 1, GuardianLink: 1, PaymentPeriod: 2, Payment: 6, AuditLog: 0 });
  });
});

describe("dry run", () => {
  it("validates and counts what would change, and writes nothing but the ImportRun record", async () => {
    const dry = await importRows("07.csv", sampleRows(), { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, accepted: 3, created: 3 });
    expect((await tableCounts(t.db))).toEqual({ Commune: 0, Beneficiary: 0, Guardian: 0, GuardianLink: 0, PaymentPeriod: 0, Payment: 0, AuditLog: 0 });
    expect((await t.db.sql.get(`SELECT dryRun, changed FROM ImportRun`))).toEqual({ dryRun: 1, changed: 3 });

    await importRows("07.csv", sampleRows());
    const before = (await snapshot());
    const corrected = sampleRows();
    corrected[0]["Số tiền"] = "900.000";
    const dryUpdate = await importRows("07-corrected.csv", corrected, { dryRun: true });
    expect(dryUpdate).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    expect((await snapshot())).toEqual(before);
  });
});

describe("guardians", () => {
  it("one guardian receiving for two beneficiaries is one person with two links", async () => {
    const rows = sampleRows();
    const sibling: ListRow = {
      ...rows[2],
      "Mã đối tượng": "LS-0004",
      "Họ và tên": "Nông Thị Lan",
      "Ngày sinh": "03/09/2014",
      "Giới tính": "Nữ",
      "Số CCCD": "020314001111",
      "Quan hệ": "Bà nội",
    };
    // The same grandmother, written the way another clerk would: phone in another form.
    sibling["SĐT người nhận thay"] = "0398765432";
    await importRows("07.csv", [...rows, sibling]);
    expect((await scalar(t.db, `SELECT COUNT(*) FROM Guardian`))).toBe(1);
    const links = (await t.db.sql.all(`SELECT b.code, l.relation FROM GuardianLink l JOIN Beneficiary b ON b.id = l.beneficiaryId ORDER BY b.code`));
    expect(links).toEqual([
      { code: "LS-0003", relation: "Bà nội" },
      { code: "LS-0004", relation: "Bà nội" },
    ]);
  });

  it("without an ID, a guardian is matched by phone and name; a new one for an existing beneficiary is audited", async () => {
    const rows = sampleRows();
    rows[2]["CCCD người nhận thay"] = "";
    await importRows("07.csv", rows);
    await importRows("07.csv", rows);
    expect((await scalar(t.db, `SELECT COUNT(*) FROM Guardian`))).toBe(1);

    const changed = sampleRows();
    changed[2] = { ...changed[2], "Người nhận thay": "Nông Văn Sáng", "SĐT người nhận thay": "0977111222", "CCCD người nhận thay": "", "Quan hệ": "Bố" };
    const report = await importRows("07-b.csv", changed);
    expect(report).toMatchObject({ updated: 1, unchanged: 2 });
    expect((await scalar(t.db, `SELECT COUNT(*) FROM Guardian`))).toBe(2);
    expect((await audits()).map((a) => [a.action, JSON.parse(a.after)])).toEqual([["guardian.linked", { beneficiaryId: 3, guardianId: 2, relation: "Bố" }]]);
  });

  it("updates a guardian found by ID whose phone changed, and audits it", async () => {
    await importRows("07.csv", sampleRows());
    const rows = sampleRows();
    rows[2]["SĐT người nhận thay"] = "0977111222";
    const report = await importRows("07-b.csv", rows);
    expect(report).toMatchObject({ updated: 1, unchanged: 2 });
    expect((await audits()).map((a) => [a.action, a.entity, JSON.parse(a.before), JSON.parse(a.after)])).toEqual([
      ["guardian.updated", "Guardian", { phone: "+84398765432" }, { phone: "+84977111222" }],
    ]);
  });
});
