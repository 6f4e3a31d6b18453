import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startWalCheckpointer } from "../../src/db/walCheckpointer.ts";
import { tempSqliteDatabase, type TempDatabase } from "../helpers/tempDatabase.ts";

describe("the WAL checkpointer", () => {
  let temp: TempDatabase | undefined;
  afterEach(() => temp?.cleanup());

  it("copies committed pages into the database file from its own thread, and stops cleanly", async () => {
    temp = await tempSqliteDatabase();
    const { sqlite: sql, file } = temp.db;
    if (!sql) throw new Error("SQLite only");
    if (!file) throw new Error("SQLite only");
    const checkpointer = startWalCheckpointer(temp.db, 50);
    const before = fs.statSync(file).size;
    sql.exec("CREATE TABLE Filler (id INTEGER PRIMARY KEY, text TEXT)");
    const insert = sql.prepare("INSERT INTO Filler (text) VALUES (?)");
    sql.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run("x".repeat(1_000));
    })();
    // The main connection never checkpoints (wal_autocheckpoint = 0): the file grows only by the worker's copy.
    expect(sql.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const deadline = Date.now() + 5_000;
    while (fs.statSync(file).size < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(fs.statSync(file).size).toBeGreaterThan(before + 1_000_000);
    await checkpointer.stop();
    expect((sql.prepare("SELECT count(*) AS n FROM Filler").get() as { n: number }).n).toBe(2_000);
  });
});
