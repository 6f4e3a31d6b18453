import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { decideMethodChange, type DecidedMethodChange } from "../../src/domain/methodChanges/decideMethodChange.ts";
import { listMethodChanges } from "../../src/domain/methodChanges/listMethodChanges.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { sampleRows, toGrid, writeCsv } from "../imports/paymentListFixture.ts";
import { createRequest, statusOf } from "./methodChangeFixture.ts";

const secret = loadSecret();
const NOW = new Date("2025-07-21T02:05:00Z");
let t: TempDatabase;
beforeEach(async () => {
  t = await tempDatabase();
  await importPaymentList(t.db, writeCsv(t.dir, "list.csv", toGrid(sampleRows())), { secret });
  await createRequest(t.db, secret, { reference: "YCBANK0001", code: "LS-0002", method: "bank", provider: "Vietcombank", account: "0071000123456" });
  (await createRequest(t.db, secret, {
    reference: "YCWALLET02",
    code: "LS-0001",
    method: "mobile_money",
    provider: "Viettel Money",
    walletPhone: "+84912345678",
    createdAt: new Date("2025-07-22T03:00:00Z"),
  }));
  await createRequest(t.db, secret, { reference: "YCHOME0003", code: "LS-0003", method: "cash_home", homeReason: "illness" });
});
afterEach(async () => {
  await t.cleanup();
});

const request = async (reference: string) =>
  (await t.db.sql.get<{ status: string; decidedAt: string | null; decidedBy: string | null; decisionReason: string | null }>(
    `SELECT status, decidedAt, decidedBy, decisionReason FROM MethodChangeRequest WHERE reference = ?`,
    [reference],
  ))!;
const audits = async () =>
  (await t.db.sql.all<{ before: string; after: string }>(
    `SELECT actorKind, actorId, action, entity, before, after FROM AuditLog WHERE entity = 'MethodChangeRequest' ORDER BY id`,
  )).map((a) => ({ ...a, before: JSON.parse(a.before), after: JSON.parse(a.after) }));

describe("deciding a method-change request", () => {
  it("approves a pending request (reference in any case), recording who, when and an audit entry", async () => {
    const decided: DecidedMethodChange[] = [];
    const result = (await decideMethodChange(t.db.sql, { reference: " ycbank0001 ", decision: "approve", by: "  Lan  ", now: NOW, onDecided: async (d) => void decided.push(d) }));
    expect(result).toMatchObject({ ok: true, request: { reference: "YCBANK0001", status: "approved", decidedBy: "Lan", decisionReason: null, superseded: [] } });
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ requestedByKind: "beneficiary", channel: "telegram", requestedMethod: "bank" });
    expect({ ...(await request("YCBANK0001")), decidedAt: new Date((await request("YCBANK0001")).decidedAt!).toISOString() }).toEqual({
      status: "approved",
      decidedAt: NOW.toISOString(),
      decidedBy: "Lan",
      decisionReason: null,
    });
    expect((await audits())).toEqual([
      {
        actorKind: "staff",
        actorId: "Lan",
        action: "method_change.approved",
        entity: "MethodChangeRequest",
        before: { status: "pending" },
        after: { status: "approved", decidedBy: "Lan", decisionReason: null },
      },
    ]);
  });

  it("rejects only with a reason, and decides only pending requests", async () => {
    expect((await decideMethodChange(t.db.sql, { reference: "YCHOME0003", decision: "reject", by: "Lan" }))).toMatchObject({
      ok: false,
      error: "invalid",
      message: "A rejection needs a reason (--reason TEXT): the person is told why.",
    });
    expect((await decideMethodChange(t.db.sql, { reference: "YCHOME0003", decision: "reject", by: " ", reason: "x" }))).toMatchObject({ ok: false, error: "invalid" });
    expect((await statusOf(t.db, "YCHOME0003"))).toBe("pending");

    expect((await decideMethodChange(t.db.sql, { reference: "YCHOME0003", decision: "reject", by: "Lan", reason: "Cần giấy xác nhận của trạm y tế", now: NOW }))).toMatchObject({
      ok: true,
      request: { status: "rejected", decisionReason: "Cần giấy xác nhận của trạm y tế" },
    });
    expect((await request("YCHOME0003"))).toMatchObject({ status: "rejected", decidedBy: "Lan", decisionReason: "Cần giấy xác nhận của trạm y tế" });

    expect((await decideMethodChange(t.db.sql, { reference: "YCHOME0003", decision: "approve", by: "Lan" }))).toEqual({
      ok: false,
      error: "not_pending",
      status: "rejected",
      message: "Request YCHOME0003 is rejected, not pending: only pending requests can be approved or rejected.",
    });
    expect((await decideMethodChange(t.db.sql, { reference: "YCNOPE", decision: "approve", by: "Lan" }))).toMatchObject({ ok: false, error: "not_found" });
    expect((await audits()).map((a) => (a as unknown as { action: string }).action)).toEqual(["method_change.rejected"]);
  });

  it("approving a newer request cancels an older approved one of the same person not yet exported", async () => {
    await decideMethodChange(t.db.sql, { reference: "YCBANK0001", decision: "approve", by: "Lan" });
    await createRequest(t.db, secret, { reference: "YCCASH0009", code: "LS-0002", method: "cash" });
    const result = (await decideMethodChange(t.db.sql, { reference: "YCCASH0009", decision: "approve", by: "Minh" }));
    expect(result).toMatchObject({ ok: true, request: { superseded: ["YCBANK0001"] } });
    expect((await request("YCBANK0001"))).toMatchObject({ status: "cancelled", decisionReason: "superseded by YCCASH0009, approved later" });
  });

  it("undoes the decision when the onDecided hook fails (the decision and telling the person land together)", async () => {
    await expect(
      decideMethodChange(t.db.sql, {
        reference: "YCBANK0001",
        decision: "approve",
        by: "Lan",
        onDecided: async () => {
          throw new Error("outbox unavailable");
        },
      }),
    ).rejects.toThrow("outbox unavailable");
    expect((await statusOf(t.db, "YCBANK0001"))).toBe("pending");
    expect((await audits())).toEqual([]);
  });
});

describe("listing method-change requests", () => {
  it("lists pending requests oldest first, with accounts and wallet phones masked, filtered by commune with or without diacritics", async () => {
    const all = (await listMethodChanges(t.db.sql));
    expect(all.map((r) => [r.reference, r.beneficiaryCode, r.fullName, r.commune, r.requestedMethod, r.details])).toEqual([
      ["YCBANK0001", "LS-0002", "Lương Thị Mai", "Xã Tân Thanh", "bank", "Vietcombank ***3456"],
      ["YCHOME0003", "LS-0003", "Nông Văn Tú", "Phường Kỳ Lừa", "cash_home", "at home: illness"],
      ["YCWALLET02", "LS-0001", "Hoàng Văn Páo", "Xã Tân Thanh", "mobile_money", "Viettel Money ***678"],
    ]);
    expect(JSON.stringify(all)).not.toContain("0071000123456");
    expect(JSON.stringify(all)).not.toContain("912345678");
    for (const name of ["Tân Thanh", "xa tan thanh", "Xã Tân Thanh"]) {
      expect((await listMethodChanges(t.db.sql, { commune: name })).map((r) => r.reference), name).toEqual(["YCBANK0001", "YCWALLET02"]);
    }
    expect((await listMethodChanges(t.db.sql, { commune: "Kỳ Lừa" })).map((r) => r.reference)).toEqual(["YCHOME0003"]);

    await decideMethodChange(t.db.sql, { reference: "YCHOME0003", decision: "reject", by: "Lan", reason: "Thiếu giấy tờ" });
    expect((await listMethodChanges(t.db.sql)).map((r) => r.reference)).toEqual(["YCBANK0001", "YCWALLET02"]);
    expect((await listMethodChanges(t.db.sql, { status: "rejected" }))).toMatchObject([{ reference: "YCHOME0003", decidedBy: "Lan", decisionReason: "Thiếu giấy tờ" }]);
  });
});
