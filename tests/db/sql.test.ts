import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { toPostgresText } from "../../src/db/sql/postgresText.ts";
import { tempDatabase, TEST_DIALECT, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("statements written once, translated for PostgreSQL", () => {
  it("numbers ? placeholders in order and gives a repeated @name one number", () => {
    expect(toPostgresText("SELECT a FROM t WHERE b = ? AND c > ?")).toEqual({ text: "SELECT a FROM t WHERE b = $1 AND c > $2", names: [] });
    expect(toPostgresText("UPDATE t SET a = @at, b = @at WHERE id = @id")).toEqual({ text: "UPDATE t SET a = $1, b = $1 WHERE id = $2", names: ["at", "id"] });
  });

  it("quotes names with both cases and leaves keywords, lower-case names, strings, quoted names and comments alone", () => {
    const { text } = toPostgresText(
      `SELECT ci.remindersOn, count(*) AS waitingSince, 'ChannelIdentity ?' AS label, "Done" FROM ChannelIdentity ci -- camelCase ?\nWHERE ci.externalId = ?`,
    );
    expect(text).toBe(
      `SELECT ci."remindersOn", count(*) AS "waitingSince", 'ChannelIdentity ?' AS label, "Done" FROM "ChannelIdentity" ci -- camelCase ?\nWHERE ci."externalId" = $1`,
    );
  });

  it("keeps a doubled quote inside a string", () => {
    expect(toPostgresText("SELECT 'it''s ?' AS x, ? AS y").text).toBe("SELECT 'it''s ?' AS x, $1 AS y");
  });

  it("refuses a statement that mixes ? and @name", () => {
    expect(() => toPostgresText("SELECT ? WHERE a = @a")).toThrow(/both/);
  });
});

describe(`the stores' Sql on ${TEST_DIALECT}`, () => {
  let temp: TempDatabase;
  beforeEach(async () => {
    temp = await tempDatabase();
  });
  afterEach(() => temp.cleanup());

  const at = new Date("2026-11-29T03:04:05.006Z");
  const insertIdentity = (externalId: string) =>
    temp.db.sql.get<{ id: number }>(
      `INSERT INTO ChannelIdentity (channel, externalId, remindersOn, unreachable, createdAt, updatedAt) VALUES ('telegram', ?, ?, ?, ?, ?) RETURNING id`,
      [externalId, false, true, sqlTimestamp(at), sqlTimestamp(at)],
    );
  const count = async () => (await temp.db.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ChannelIdentity`))!.n;

  it("gives rows alike on both databases: booleans 1/0, counts as numbers, timestamps as sqlTimestamp text", async () => {
    const { id } = (await insertIdentity("1"))!;
    expect(typeof id).toBe("number");
    const row = await temp.db.sql.get(`SELECT remindersOn, unreachable, createdAt, lockedUntil FROM ChannelIdentity WHERE id = ?`, [id]);
    expect(row).toEqual({ remindersOn: 0, unreachable: 1, createdAt: sqlTimestamp(at), lockedUntil: null });
    expect(await count()).toBe(1);
    const filtered = await temp.db.sql.all(`SELECT id FROM ChannelIdentity WHERE unreachable = TRUE AND remindersOn = FALSE AND createdAt <= ?`, [sqlTimestamp(at)]);
    expect(filtered).toEqual([{ id }]);
  });

  it("commits a transaction that resolves and undoes one that throws", async () => {
    await temp.db.sql.transaction(async () => {
      await insertIdentity("kept");
    });
    await expect(
      temp.db.sql.transaction(async () => {
        await insertIdentity("undone");
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(await count()).toBe(1);
  });

  it("runs every query made inside a transaction in it, also nested ones, and reports it", async () => {
    expect(temp.db.sql.inTransaction()).toBe(false);
    await expect(
      temp.db.sql.transaction(async () => {
        expect(temp.db.sql.inTransaction()).toBe(true);
        await insertIdentity("a");
        await temp.db.sql.transaction(async () => {
          await insertIdentity("b");
        });
        expect(await count()).toBe(2);
        throw new Error("undo both");
      }),
    ).rejects.toThrow("undo both");
    expect(await count()).toBe(0);
  });

  it("keeps another request's write out of an open transaction: it lands even when the transaction is undone", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = temp.db.sql
      .transaction(async () => {
        await insertIdentity("in-transaction");
        await held;
        throw new Error("undone");
      })
      .catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = insertIdentity("outside");
    release();
    expect(await transaction).toBe("undone");
    await outside;
    const ids = await temp.db.sql.all<{ externalId: string }>(`SELECT externalId FROM ChannelIdentity`);
    expect(ids).toEqual([{ externalId: "outside" }]);
  });
});
