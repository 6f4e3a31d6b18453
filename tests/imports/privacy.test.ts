import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sqliteFilePath } from "../../src/db/databaseUrl.ts";
import { loadSecret } from "../../src/shared/secrets.ts";
import { formatImportReport, importPaymentList } from "../../src/domain/imports/importPaymentList.ts";
import { tempDatabase, tempSqliteDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { sampleRows, scalar, toGrid, writeCsv } from "./paymentListFixture.ts";

const secret = loadSecret();
let t: TempDatabase;
beforeEach(async () => {
  t = await tempDatabase();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await t.cleanup();
});

/** Numbers from the sample list that must never be stored or printed in clear. */
const SECRETS = ["020044001234", "020162005678", "020212009876", "020180004321", "888801234567"];

describe("personal numbers", () => {
  /** Imports the sample list, then a changed one, so the audit log has ID and account entries too. */
  async function importTwice(db: TempDatabase["db"], dir: string): Promise<void> {
    await importPaymentList(db, writeCsv(dir, "07.csv", toGrid(sampleRows())), { secret });
    const changed = sampleRows();
    changed[0]["Số tài khoản"] = "8888 0123 9999";
    changed[0]["Số CCCD"] = "020044005555";
    await importPaymentList(db, writeCsv(dir, "07b.csv", toGrid(changed)), { secret });
    expect(await scalar(db, `SELECT COUNT(*) FROM AuditLog`)).toBeGreaterThan(0);
  }

  it("are not stored in clear in any table the import writes, audit log included", async () => {
    await importTwice(t.db, t.dir);
    let text = "";
    for (const table of ["Commune", "Beneficiary", "Guardian", "GuardianLink", "PaymentPeriod", "Payment", "AuditLog", "ImportRun"]) {
      text += JSON.stringify(await t.db.sql.all(`SELECT * FROM ${table}`));
    }
    for (const secretNumber of [...SECRETS, "020044005555", "888801239999"]) expect(text.includes(secretNumber), secretNumber).toBe(false);
  });

  it("are not stored in clear anywhere in the SQLite file, free pages and WAL included", async () => {
    // About the bytes of the SQLite file itself: SQLite whatever the suite runs on.
    const s = await tempSqliteDatabase();
    try {
      await importTwice(s.db, s.dir);
      const file = sqliteFilePath(s.url);
      const readAll = () => Buffer.concat([file, `${file}-wal`].filter(fs.existsSync).map((f) => fs.readFileSync(f)));
      const beforeCheckpoint = readAll();
      s.db.sqlite!.pragma("wal_checkpoint(TRUNCATE)"); // everything into the main file, as it will be at rest
      const bytes = Buffer.concat([beforeCheckpoint, readAll()]);
      for (const secretNumber of [...SECRETS, "020044005555", "888801239999"]) {
        expect(bytes.includes(Buffer.from(secretNumber)), secretNumber).toBe(false);
      }
    } finally {
      await s.cleanup();
    }
  });

  it("do not appear in log lines or in the report's problems", async () => {
    vi.stubEnv("LOG_LEVEL", "debug");
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const rows = sampleRows();
    rows[0]["Số CCCD"] = "020045001234"; // disagrees with the date of birth
    rows[1]["Số điện thoại"] = "01683456789";
    rows[2]["Số tài khoản"] = "12a4567890";
    const report = await importPaymentList(t.db, writeCsv(t.dir, "07.csv", toGrid(rows)), { secret });
    vi.restoreAllMocks();

    expect(lines.join("")).toContain("payment list imported");
    const printed = lines.join("") + formatImportReport(report);
    for (const secretNumber of [...SECRETS, "020045001234", "01683456789", "12a4567890"]) {
      expect(printed.includes(secretNumber), secretNumber).toBe(false);
    }
  });
});
