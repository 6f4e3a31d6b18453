import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/domain/audit.ts";
import { auditEntities, searchAuditLog } from "../../src/domain/auditSearch.ts";
import { findPerson, searchPeople } from "../../src/domain/people/consolePeople.ts";
import { matchKey } from "../../src/shared/text.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";
import { addBeneficiary, addCommune, addGuardian, addIdentity } from "../broadcasts/broadcastFixture.ts";

// The console's searches on the database of the suite (SQLite, or PostgreSQL with TEST_DATABASE=postgres).
let t: TempDatabase;
let bacSon: number;
let trangDinh: number;
const sql = () => t.db.sql;
const everywhere = { sql: "1 = 1", params: [] as number[] };

beforeAll(async () => {
  t = await tempDatabase();
  bacSon = await addCommune(sql(), "Bắc Sơn");
  trangDinh = await addCommune(sql(), "Tràng Định");
  const duc = await addBeneficiary(sql(), { communeId: bacSon, fullName: "Nguyễn Văn Đức" });
  await addBeneficiary(sql(), { communeId: bacSon, fullName: "ĐẶNG THỊ ÁNH" });
  await addBeneficiary(sql(), { communeId: trangDinh, fullName: "Nguyễn  Thị Hoà" });
  await addBeneficiary(sql(), { communeId: trangDinh, fullName: "Lò Văn 50%_x" });
  const guardian = await addGuardian(sql(), [duc], "Nguyễn Thị Lan");
  await addIdentity(sql(), { channel: "zalo", externalId: "z1", guardianId: guardian });
  await addIdentity(sql(), { channel: "telegram", externalId: "t1", beneficiaryId: duc });
});
afterAll(() => t.cleanup());

const names = async (query: string, communes = everywhere, communeId?: number) =>
  (await searchPeople(sql(), { communes, communeId, query, limit: 50, offset: 0 })).people.map((p) => p.fullName);

describe("people search", () => {
  it("ansinh_fold in the database is matchKey", async () => {
    for (const text of ["Nguyễn Văn Đức", " ĐẶNG  THỊ ÁNH (x)", "Hoà\u00a0Bình.", "plain"]) {
      expect((await sql().get<{ key: string }>(`SELECT ansinh_fold(?) AS key`, [text]))!.key).toBe(matchKey(text));
    }
  });

  it("finds a name written without diacritics or capitals, and by code", async () => {
    expect(await names("nguyen van duc")).toEqual(["Nguyễn Văn Đức"]);
    expect(await names("dang thi anh")).toEqual(["ĐẶNG THỊ ÁNH"]);
    expect(await names("NGUYEN")).toEqual(["Nguyễn  Thị Hoà", "Nguyễn Văn Đức"]);
    expect(await names("thi hoa")).toEqual(["Nguyễn  Thị Hoà"]);
    expect(await names("t-00001")).toEqual(["Nguyễn Văn Đức"]);
    // % and _ are letters here, not patterns.
    expect(await names("50%_")).toEqual(["Lò Văn 50%_x"]);
    expect(await names("5%x")).toEqual([]);
  });

  it("keeps to the communes asked for, and counts all the matches", async () => {
    expect(await names("nguyen", { sql: "b.communeId IN (?)", params: [bacSon] })).toEqual(["Nguyễn Văn Đức"]);
    expect(await names("nguyen", everywhere, trangDinh)).toEqual(["Nguyễn  Thị Hoà"]);
    const page = await searchPeople(sql(), { communes: everywhere, query: "", limit: 1, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.people).toHaveLength(1);
  });

  it("shows one person with their guardian and channels", async () => {
    const [duc] = (await searchPeople(sql(), { communes: everywhere, query: "duc", limit: 1, offset: 0 })).people;
    const person = await findPerson(sql(), duc.id);
    expect(person).toMatchObject({ fullName: "Nguyễn Văn Đức", commune: "Bắc Sơn", guardians: [{ fullName: "Nguyễn Thị Lan" }], payments: [] });
    expect(person!.channels).toEqual([
      { channel: "telegram", verification: "phone", remindersOn: true, unreachable: false, prefersVoice: false },
      { channel: "zalo", verification: "phone", remindersOn: true, unreachable: false, prefersVoice: false },
    ]);
    expect(await findPerson(sql(), 999_999)).toBeNull();
  });
});

describe("audit log search", () => {
  it("filters by actor, action prefix (any case), entity and time, newest first", async () => {
    const at = (iso: string) => new Date(iso);
    await audit(sql(), { actorKind: "staff", actorId: "lan", action: "console.login", entity: "ConsoleUser", entityId: 1, at: at("2026-12-01T01:00:00Z") });
    await audit(sql(), { actorKind: "staff", actorId: "lan", action: "console.logout", entity: "ConsoleUser", entityId: 1, at: at("2026-12-02T01:00:00Z") });
    await audit(sql(), { actorKind: "staff", actorId: "minh", action: "person.viewed", entity: "Beneficiary", entityId: 7, at: at("2026-12-03T01:00:00Z") });
    const page = { limit: 10, offset: 0 };
    const actions = async (filter: Parameters<typeof searchAuditLog>[1]) => {
      const { rows, total } = await searchAuditLog(sql(), filter, page);
      expect(total).toBe(rows.length);
      return rows.map((r) => r.action);
    };
    expect(await actions({ actor: "lan" })).toEqual(["console.logout", "console.login"]);
    expect(await actions({ action: "Console." })).toEqual(["console.logout", "console.login"]);
    expect(await actions({ action: "console_" })).toEqual([]);
    expect(await actions({ entity: "Beneficiary", entityId: "7" })).toEqual(["person.viewed"]);
    expect(await actions({ from: at("2026-12-02T00:00:00Z"), to: at("2026-12-03T00:00:00Z") })).toEqual(["console.logout"]);
    expect(await auditEntities(sql())).toEqual(["Beneficiary", "ConsoleUser"]);
    const second = await searchAuditLog(sql(), {}, { limit: 1, offset: 1 });
    expect(second).toMatchObject({ total: 3, rows: [{ action: "console.logout", actorId: "lan", entityId: "1" }] });
  });
});
