import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/db/groupCommit.ts";
import { tempDatabase, TEST_DIALECT, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("GroupCommit: the writes of requests that arrive together are committed together", () => {
  let temp: TempDatabase;
  let transactions: number;
  beforeEach(async () => {
    temp = await tempDatabase();
    await temp.db.sql.run("CREATE TABLE Note (text TEXT NOT NULL UNIQUE)");
    transactions = 0;
    // Counts the transactions GroupCommit opens (inner calls join the open one and are not counted).
    const sql = temp.db.sql;
    const original = sql.transaction.bind(sql);
    sql.transaction = (fn) => {
      if (!sql.inTransaction()) transactions++;
      return original(fn);
    };
  });
  afterEach(() => temp.cleanup());

  const insert = (text: string) => async () => {
    await temp.db.sql.run("INSERT INTO Note (text) VALUES (?)", [text]);
  };
  const texts = async () => (await temp.db.sql.all<{ text: string }>("SELECT text FROM Note ORDER BY text")).map((r) => r.text);

  it("settles every caller only after its writes are committed", async () => {
    const group = new GroupCommit(temp.db.sql);
    const settled: string[] = [];
    const all = ["a", "b", "c", "d"].map((t) =>
      group.run(insert(t)).then(async () => {
        settled.push(t);
        expect(await texts()).toContain(t);
      }),
    );
    await Promise.all(all);
    expect(await texts()).toEqual(["a", "b", "c", "d"]);
    expect(settled.sort()).toEqual(["a", "b", "c", "d"]);
    // SQLite: one commit for the four. PostgreSQL: a transaction each (they write side by side).
    expect(transactions).toBe(TEST_DIALECT === "sqlite" ? 1 : 4);
  });

  it("refuses only the caller whose writes fail; the others land", async () => {
    const group = new GroupCommit(temp.db.sql);
    await insert("taken")();
    const results = await Promise.allSettled([group.run(insert("x")), group.run(insert("taken")), group.run(insert("y"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE|unique/);
    expect(await texts()).toEqual(["taken", "x", "y"]);
  });

  it.runIf(TEST_DIALECT === "sqlite")("on SQLite, commits a full batch at once and the rest in the next", async () => {
    const group = new GroupCommit(temp.db.sql, 3);
    await Promise.all(["1", "2", "3", "4"].map((t) => group.run(insert(t))));
    expect(await texts()).toEqual(["1", "2", "3", "4"]);
    expect(transactions).toBe(2);
  });

  it("joins the caller's transaction when there is one", async () => {
    const group = new GroupCommit(temp.db.sql);
    await expect(
      temp.db.sql.transaction(async () => {
        await group.run(insert("inside"));
        throw new Error("the outer transaction fails");
      }),
    ).rejects.toThrow("outer");
    expect(await texts()).toEqual([]);
  });
});
