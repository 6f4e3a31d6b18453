import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { createRequest } from "../exports/methodChangeFixture.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";
import { scalar } from "../imports/paymentListFixture.ts";
import { cliDatabase, type CliDatabase } from "./cliDatabase.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-cycle-"));
let database: CliDatabase;
afterAll(async () => {
  await database?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `ansinh …` on this file's database. */
const ansinh = (args: string[]) => runAnsinh(args, { cwd: dir, env: database.env });

async function withDb<T>(run: (db: Awaited<ReturnType<typeof openDatabase>>) => T | Promise<T>): Promise<T> {
  const db = await openDatabase(database.url);
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

function csv(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, "\uFEFF" + ["Mã đối tượng,Kỳ chi trả,Kết quả chi trả,Ngày chi trả,Mã giao dịch,Lý do", ...lines].join("\n") + "\n");
  return file;
}

const novemberStatus = (code: string) =>
  withDb(async (db) =>
    (await scalar(db, `SELECT p.status FROM Payment p JOIN Beneficiary b ON b.id = p.beneficiaryId JOIN PaymentPeriod pp ON pp.id = p.periodId
         WHERE b.code = ? AND pp.period = '2026-11'`, [code])) as string,
  );

beforeAll(async () => {
  database = await cliDatabase(dir, "cycle");
  const loaded = await ansinh(["demo", "load"]);
  expect(loaded.code).toBe(0);
  // Vi Thị Hoa (DEMO-0004) on Telegram; Lương Văn Cường, guardian of DEMO-0002 and DEMO-0003, on Zalo.
  await withDb(async (db) => {
    const at = sqlTimestamp();
    const guardianId = (await scalar(db, `SELECT id FROM Guardian WHERE fullName LIKE 'Lương Văn Cường%'`));
    const beneficiaryId = (await scalar(db, `SELECT id FROM Beneficiary WHERE code = 'DEMO-0004'`));
    const insert = `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, guardianId, verification, verifiedAt, createdAt, updatedAt)
       VALUES (?, ?, ?, ?, 'phone', ?, ?, ?)`;
    await db.sql.run(insert, ["telegram", "5001", beneficiaryId, null, at, at, at]);
    await db.sql.run(insert, ["zalo", "6001", null, guardianId, at, at, at]);
  });
}, 60_000);

// Each test runs several `ansinh` commands (each a Node process loading the CLI): bounded work; the
// limit catches a hang, and leaves room for a machine whose cores other suites share.
const COMMANDS_LIMIT_MS = 180_000;

describe("ansinh import results", () => {
  it("reports bad rows with exit status 2, writes nothing on a dry run, and queues notices for the changed payments", async () => {
    const file = csv("ket-qua-11-2026.csv", [
      "DEMO-0004,2026-11,Đã chi trả,06/11/2026 10:00,VTM-99,", // failed, now paid on a second try
      "DEMO-0002,2026-11,Trả lại,,,Tài khoản bị phong tỏa", // paid, and the money came back
      "DEMO-0099,2026-11,đã chi trả,,,",
    ]);
    const dry = await ansinh(["import", "results", file, "--dry-run"]);
    expect(dry.code).toBe(2);
    expect(dry.stdout).toContain("Dry run of payment results ket-qua-11-2026.csv (period 2026-11)");
    expect(dry.stdout).toContain("to tell:   2 payments would change status (a dry run queues no notice)");
    expect(await novemberStatus("DEMO-0004")).toBe("failed");
    expect(await withDb(async (db) => (await scalar(db, `SELECT COUNT(*) FROM OutboxMessage`)))).toBe(0);

    const result = await ansinh(["import", "results", file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("Payment results ket-qua-11-2026.csv (period 2026-11)");
    expect(result.stdout).toContain("updated:   2");
    expect(result.stdout).toContain("by status: paid 1, failed 0, returned 1");
    expect(result.stdout).toContain("notices:   2 queued, for 2 payments whose status changed");
    expect(result.stdout).toContain("row 4, column beneficiary_code: no beneficiary has the code DEMO-0099: check it against the payment list");
    expect(await novemberStatus("DEMO-0004")).toBe("paid");
    expect(await novemberStatus("DEMO-0002")).toBe("returned");
    expect(await withDb(async (db) => (await db.sql.all(`SELECT channel, externalId, kind FROM OutboxMessage ORDER BY id`)))).toEqual([
      { channel: "telegram", externalId: "5001", kind: "payment_paid" },
      { channel: "zalo", externalId: "6001", kind: "payment_returned" },
    ]);

    const strict = await ansinh(["import", "results", file, "--all-or-nothing"]);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain("Nothing was written: all-or-nothing was asked");

    const good = await ansinh(["import", "results", csv("good.csv", ["DEMO-0004,2026-11,paid,06/11/2026 10:00,VTM-99,", "DEMO-0002,2026-11,returned,,,"])]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("unchanged: 2");
    expect(good.stdout).toContain("notices:   0 queued");
  }, COMMANDS_LIMIT_MS);

  it("refuses a file without the status column with exit status 1", async () => {
    const file = path.join(dir, "no-status.csv");
    fs.writeFileSync(file, "Mã đối tượng,Kỳ chi trả,Ngày chi trả\nDEMO-0001,2026-11,05/11/2026\n");
    const result = await ansinh(["import", "results", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("lacks required column status");
  }, COMMANDS_LIMIT_MS);
});

describe("ansinh method-changes and export method-changes", () => {
  it("lists masked requests, approves and rejects them, and exports the approved ones once with full account numbers", async () => {
    const secret = loadSecret();
    await withDb(async (db) => {
      await createRequest(db, secret, { reference: "YCCLI00001", code: "DEMO-0001", method: "bank", provider: "Agribank", account: "4200555566667777" });
      await createRequest(db, secret, { reference: "YCCLI00002", code: "DEMO-0004", method: "mobile_money", provider: "MoMo", walletPhone: "+84978111222" });
      await createRequest(db, secret, { reference: "YCCLI00003", code: "DEMO-0005", method: "cash_home", homeReason: "disability" });
    });

    const list = await ansinh(["method-changes", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("3 pending requests");
    expect(list.stdout).toMatch(/YCCLI00001\s+DEMO-0001\s+Nguyễn Văn An \(DEMO\)\s+Bắc Sơn\s+bank\s+Agribank \*\*\*7777/);
    expect(list.stdout).toContain("MoMo ***222");
    expect(list.stdout).not.toContain("4200555566667777");
    expect(list.stdout).not.toContain("978111222");
    const tràngĐịnh = await ansinh(["method-changes", "list", "--commune", "trang dinh"]);
    expect(tràngĐịnh.stdout).toContain("2 pending requests in trang dinh");

    const approve = await ansinh(["method-changes", "approve", "yccli00001", "--by", "Lan"]);
    expect(approve.code).toBe(0);
    expect(approve.stdout).toContain("Request YCCLI00001 approved by Lan.");
    // The same path as the console: the requester would be told; this one has no Telegram account to tell.
    expect(approve.stdout).toContain("The person who asked cannot be told on telegram (no reachable account there)");
    const twice = await ansinh(["method-changes", "approve", "YCCLI00001", "--by", "Lan"]);
    expect(twice.code).toBe(1);
    expect(twice.stdout).toContain("Request YCCLI00001 is approved, not pending");
    expect((await ansinh(["method-changes", "reject", "YCCLI00002", "--by", "Lan", "--reason", "Số ví không đúng"])).code).toBe(0);
    expect((await ansinh(["method-changes", "approve", "YCCLI00003", "--by", "Minh"])).code).toBe(0);

    const noPeriod = await ansinh(["export", "method-changes", path.join(dir, "x.csv")]);
    expect(noPeriod.code).toBe(1);
    expect(noPeriod.stderr).toContain("required option '--period <yyyy-mm>' not specified");
    const dry = await ansinh(["export", "method-changes", "--period", "2027-01", "--dry-run", path.join(dir, "x.csv")]);
    expect(dry.stdout).toContain("Dry run: 2 requests (bank 1, cash_home 1) approved and not yet exported, for the 2027-01 list.");
    expect(fs.existsSync(path.join(dir, "x.csv"))).toBe(false);

    const file = path.join(dir, "doi-hinh-thuc-2027-01.csv");
    const exported = await ansinh(["export", "method-changes", "--period", "2027-01", file]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`Exported 2 requests (bank 1, cash_home 1) for the 2027-01 list to ${file}`);
    expect(exported.stdout + exported.stderr).not.toContain("4200555566667777");
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain("2027-01,DEMO-0001,Nguyễn Văn An (DEMO),Bắc Sơn,bank,Agribank,4200555566667777,,,YCCLI00001,");
    expect(text).toContain("DEMO-0005");
    expect(text).not.toContain("DEMO-0004");

    const again = await ansinh(["export", "method-changes", "--period", "2027-01", path.join(dir, "again.xlsx")]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 requests");
  }, COMMANDS_LIMIT_MS);

  it("explains the new commands with --help, and says the export holds full account numbers", async () => {
    for (const args of [["import", "results", "--help"], ["method-changes", "reject", "--help"]]) {
      const help = await ansinh(args);
      expect(help.code, args.join(" ")).toBe(0);
      expect(help.stdout).toContain("Usage: ansinh");
    }
    const help = await ansinh(["export", "method-changes", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("FULL account numbers");
  }, COMMANDS_LIMIT_MS);
});
