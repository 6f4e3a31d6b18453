import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/db/groupCommit.ts";
import { tempDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("GroupCommit: the writes of requests that arrive together share one commit", () => {
  let temp: TempDatabase;
  let commits: number;
  beforeEach(async () => {
    temp = await tempDatabase();
    temp.db.sqlite.exec("CREATE TABLE Note (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)");
    commits = 0;
  });
  afterEach(() => temp.cleanup());

  const insert = (text: string) => () => {
    temp.db.sqlite.prepare("INSERT INTO Note (text) VALUES (?)").run(text);
  };
  const texts = () => (temp.db.sqlite.prepare("SELECT text FROM Note ORDER BY text").all() as { text: string }[]).map((r) => r.text);

  it("commits what was queued in the same turn once, and settles every caller after the commit", async () => {
    const group = new GroupCommit(temp.db.sqlite);
    const original = temp.db.sqlite.transaction.bind(temp.db.sqlite);
    // Counts the write transactions GroupCommit opens.
    temp.db.sqlite.transaction = ((fn: (...a: unknown[]) => unknown) => {
      const transaction = original(fn);
      return Object.assign((...a: unknown[]) => transaction(...a), {
        ...transaction,
        immediate: (...a: unknown[]) => {
          commits++;
          return transaction.immediate(...a);
        },
      });
    }) as unknown as typeof temp.db.sqlite.transaction;
    const settled: string[] = [];
    const all = ["a", "b", "c", "d"].map((t) => group.run(insert(t)).then(() => settled.push(t) && expect(texts()).toContain(t)));
    expect(texts()).toEqual([]); // nothing is written before the end of the turn
    await Promise.all(all);
    expect(texts()).toEqual(["a", "b", "c", "d"]);
    expect(commits).toBe(1);
    expect(settled.sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("refuses only the caller whose writes fail; the others land", async () => {
    const group = new GroupCommit(temp.db.sqlite);
    insert("taken")();
    const results = await Promise.allSettled([group.run(insert("x")), group.run(insert("taken")), group.run(insert("y"))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(texts()).toEqual(["taken", "x", "y"]);
  });

  it("commits at once when the batch is full, without waiting for the turn to end", async () => {
    const group = new GroupCommit(temp.db.sqlite, 3);
    const first = ["1", "2", "3"].map((t) => group.run(insert(t)));
    expect(texts()).toEqual(["1", "2", "3"]);
    const late = group.run(insert("4"));
    expect(texts()).toEqual(["1", "2", "3"]);
    await Promise.all([...first, late]);
    expect(texts()).toEqual(["1", "2", "3", "4"]);
  });
});
