import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";
import { cliDatabase, type CliDatabase } from "./cliDatabase.ts";
import { startTestServer, UssdCaller } from "../helpers/testServer.ts";
import { countOf, rowsOf } from "../helpers/rows.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-cli-"));
const databases: CliDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty database of the suite's kind for the commands (see cliDatabase.ts), dropped after the file's tests. */
async function freshDatabase(name: string): Promise<CliDatabase> {
  const database = await cliDatabase(dir, name);
  databases.push(database);
  return database;
}

const ansinh = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) => runAnsinh(args, { cwd: dir, ...options });

const LIST_HEADER =
  "Mã đối tượng,Họ và tên,Ngày sinh,Số CCCD,Số điện thoại,Xã,Loại đối tượng,Kỳ chi trả,Số tiền,Ngày chi trả,Hình thức chi trả,Điểm chi trả";

function writeList(name: string, rows: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, "\uFEFF" + [LIST_HEADER, ...rows].join("\n") + "\n");
  return file;
}

describe("the ansinh command", () => {
  it("explains every command with --help", async () => {
    const top = await ansinh(["--help"]);
    expect(top.code).toBe(0);
    for (const command of ["serve", "import", "flows", "simulate", "demo"]) expect(top.stdout).toContain(command);
    const commands = [["serve", "--help"], ["import", "payments", "--help"], ["import", "communes", "--help"], ["flows", "check", "--help"], ["simulate", "--help"], ["demo", "load", "--help"]];
    const helps = await Promise.all(commands.map((args) => ansinh(args)));
    helps.forEach((help, i) => {
      expect(help.code, commands[i].join(" ")).toBe(0);
      expect(help.stdout).toContain("Usage: ansinh");
    });
  }, 120_000);

  it("checks the flows and says so", async () => {
    const result = await ansinh(["flows", "check"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ \d+ flows, \d+ nodes/);
  });

  it("imports a list into a new DATABASE_URL, reporting the bad row and landing the good ones", async () => {
    const { url, env } = await freshDatabase("fresh");
    const file = writeList("list.csv", [
      "LS-1,Hà Văn Một,01/02/1950,020050111111,0912000001,Bình Gia,Người cao tuổi,2026-12,750.000,05/12/2026,tiền mặt,Nhà văn hóa",
      "LS-2,Hà Văn Hai,01/02/1951,12345,0912000002,Bình Gia,Người cao tuổi,2026-12,750000,05/12/2026,tiền mặt,Nhà văn hóa",
      "LS-3,Hà Thị Ba,01/02/1952,020152333333,0912000003,Bình Gia,Người cao tuổi,2026-12,750000,05/12/2026,séc,Nhà văn hóa",
    ]);
    const dry = await ansinh(["import", "payments", file, "--dry-run"], { env });
    expect(dry.code).toBe(2);
    let db = await openDatabase(url);
    expect(await countOf(db.query, "Beneficiary")).toBe(0);
    await db.close();

    const result = await ansinh(["import", "payments", file], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/row 3, column citizen_id/);
    expect(result.stdout).toMatch(/row 4, column payment_method/);
    db = await openDatabase(url);
    expect((await rowsOf(db.query, "Beneficiary")).map((b) => b.code)).toEqual(["LS-1"]);
    await db.close();

    const again = await ansinh(["import", "payments", writeList("good.csv", [
      "LS-1,Hà Văn Một,01/02/1950,020050111111,0912000001,Bình Gia,Người cao tuổi,2026-12,750.000,05/12/2026,tiền mặt,Nhà văn hóa",
    ])], { env });
    expect(again.code).toBe(0);
  });

  it("imports commune information, with row-level problems and exit status 2", async () => {
    const { env } = await freshDatabase("communes");
    const file = path.join(dir, "communes.csv");
    fs.writeFileSync(file, "Xã,Điện thoại,Giờ làm việc\nBắc Sơn,0205 3 837 000,7h30-16h30\nVăn Quan,abc,\n");
    const result = await ansinh(["import", "communes", file], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("Commune list communes.csv");
    expect(result.stdout).toContain("row 3, column office_phone: is not a phone number");
    const missing = path.join(dir, "no-commune.csv");
    fs.writeFileSync(missing, "Điện thoại\n0205 3 837 000\n");
    const refused = await ansinh(["import", "communes", missing], { env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("lacks required column commune");
  });

  it("imports while the service serves the same database, and both keep working", async () => {
    const server = await startTestServer();
    try {
      const rows = Array.from({ length: 2000 }, (_, i) => {
        const n = String(i).padStart(6, "0");
        return `BULK-${n},Người Thứ ${i},01/02/1950,020050${n},,Văn Lãng,Người cao tuổi,2026-12,500000,05/12/2026,tiền mặt,Nhà văn hóa`;
      });
      const importing = ansinh(["import", "payments", writeList("bulk.csv", rows)], { env: { DATABASE_URL: server.services.db.url } });
      const phone = new UssdCaller(server.baseUrl, "+84912345678");
      let answered = 0;
      let done = false;
      void importing.then(() => (done = true));
      while (!done && answered < 500) {
        const answer = await phone.dial();
        expect(answer.status).toBe(200);
        answered++;
      }
      const result = await importing;
      expect(result.code).toBe(0);
      expect((await rowsOf(server.services.db.query, "Beneficiary")).filter((b) => b.code.startsWith("BULK-"))).toHaveLength(2000);
      expect(answered).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("simulates a USSD phone in the terminal from stdin, on demo data", async () => {
    const { env } = await freshDatabase("sim");
    const result = await ansinh(["simulate", "--channel", "ussd", "--phone", "0987654321"], { env, input: "1\n1\n1\n00\nlanguage\n2\n" });
    expect(result.code).toBe(0);
    // A first contact: the personal-data notice, agreed to with "1", before the person is named.
    expect(result.stdout).toContain("Thong bao ve du lieu ca nhan");
    expect(result.stdout).toContain("Chon nguoi");
    expect(result.stdout).toContain("Ky 12/2026: Se chi tra ngay 05/12/2026, chuyen khoan ngan hang.\nSo tien: 1.250.000 d");
    expect(result.stdout).toContain("1. My payment");
    expect(result.stdout).not.toMatch(/[ăâđêôơưĐ]/);
  });

  it("simulates Telegram (buttons, shared contact) and Zalo (numbered text) in the terminal", async () => {
    const { env } = await freshDatabase("sim-chat");
    const telegram = await ansinh(["simulate", "--channel", "telegram", "--phone", "0912345678"], { env, input: "1\n/contact\n1\n" });
    expect(telegram.code).toBe(0);
    expect(telegram.stdout).toContain("{ Chia sẻ số điện thoại }");
    expect(telegram.stdout).toContain("[ 1. Xem tiền trợ cấp ]");
    expect(telegram.stdout).toContain("Kỳ 12/2026: Nhận tiền mặt ngày 05/12/2026 tại Nhà văn hóa thôn Bản Chu.\nSố tiền: 1.000.000 đ");
    const zalo = await ansinh(["simulate", "--channel", "zalo", "--phone", "0912345678"], { env, input: "1\n020050001234\n05/03/1950\n/photo\n" });
    expect(zalo.code).toBe(0);
    expect(zalo.stdout).toContain("1. Xem tiền trợ cấp");
    expect(zalo.stdout).toContain("Xin lỗi, tôi chỉ đọc được chữ");
    expect(zalo.stdout).not.toContain("[ 1.");
  });

  it("refuses a phone that is not Vietnamese with a clear message", async () => {
    const result = await ansinh(["simulate", "--phone", "hello"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is not a Vietnamese phone number");
  });
});
