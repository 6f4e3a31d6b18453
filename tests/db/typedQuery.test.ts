import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/db/groupCommit.ts";
import { prepare, type Param } from "../../src/db/query/preparedQuery.ts";
import { typedQuery } from "../../src/db/query/typedQuery.ts";
import type { Sql } from "../../src/db/sql/sql.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { countOf } from "../helpers/rows.ts";
import { tempDatabase, TEST_DIALECT, type TempDatabase } from "../helpers/tempDatabase.ts";

/** `sql`, recording the text of every statement that reaches it. */
function recording(sql: Sql): { sql: Sql; texts: string[] } {
  const texts: string[] = [];
  const seen = <T extends unknown[], R>(run: (text: string, ...rest: T) => R) => (text: string, ...rest: T) => (texts.push(text), run(text, ...rest));
  return {
    texts,
    sql: Object.assign(Object.create(sql) as Sql, {
      all: seen(sql.all.bind(sql)),
      get: seen(sql.get.bind(sql)),
      run: seen(sql.run.bind(sql)),
    }),
  };
}

describe(`typed queries on ${TEST_DIALECT}, run through the stores' Sql`, () => {
  let temp: TempDatabase;
  beforeEach(async () => {
    temp = await tempDatabase();
  });
  afterEach(() => temp.cleanup());

  const at = sqlTimestamp(new Date("2026-11-29T03:04:05.006Z"));
  const newIdentity = (externalId: string) => ({ channel: "telegram", externalId, remindersOn: false, unreachable: true, createdAt: at, updatedAt: at });

  it("compile to the connection's dialect and give rows as the tables say: booleans 1/0, timestamps as text", async () => {
    const { sql, texts } = recording(temp.db.sql);
    const query = typedQuery(sql);
    const { id } = await query.insertInto("ChannelIdentity").values(newIdentity("1")).returning("id").executeTakeFirstOrThrow();
    const row = await query.selectFrom("ChannelIdentity").select(["remindersOn", "unreachable", "createdAt", "lockedUntil"]).where("id", "=", id).executeTakeFirst();
    expect(row).toEqual({ remindersOn: 0, unreachable: 1, createdAt: at, lockedUntil: null });
    expect(texts[1]).toBe(
      TEST_DIALECT === "postgres"
        ? 'select "remindersOn", "unreachable", "createdAt", "lockedUntil" from "ChannelIdentity" where "id" = $1'
        : 'select "remindersOn", "unreachable", "createdAt", "lockedUntil" from "ChannelIdentity" where "id" = ?',
    );
    const changed = await query.updateTable("ChannelIdentity").set({ remindersOn: true }).where("unreachable", "=", 1).executeTakeFirst();
    expect(changed.numUpdatedRows).toBe(1n);
  });

  it("join the ambient transaction and the group commit: undone with it, written with it", async () => {
    const query = temp.db.query;
    await expect(
      temp.db.sql.transaction(async () => {
        await query.insertInto("ChannelIdentity").values(newIdentity("undone")).execute();
        throw new Error("the hop failed");
      }),
    ).rejects.toThrow("the hop failed");
    expect(await countOf(query, "ChannelIdentity")).toBe(0);

    const commits = new GroupCommit(temp.db.sql);
    await Promise.all(["a", "b"].map((externalId) => commits.run(async () => void (await query.insertInto("ChannelIdentity").values(newIdentity(externalId)).execute()))));
    expect(await countOf(query, "ChannelIdentity")).toBe(2);
  });

  it("refuse Kysely's own transactions (they would not be the ambient one)", async () => {
    await expect(temp.db.query.transaction().execute(async () => undefined)).rejects.toThrow(/sql\.transaction/);
  });

  it("prepared: built and compiled once per dialect, then only bound and run, always the same text", async () => {
    let builds = 0;
    const byExternalId = prepare((db, param: Param<{ externalId: string }>) => {
      builds++;
      return db.selectFrom("ChannelIdentity").select(["externalId", "unreachable"]).where("externalId", "=", param("externalId")).where("channel", "=", "telegram");
    });
    await typedQuery(temp.db.sql).insertInto("ChannelIdentity").values([newIdentity("x"), newIdentity("y")]).execute();
    const { sql, texts } = recording(temp.db.sql);
    expect(await byExternalId.get(sql, { externalId: "x" })).toEqual({ externalId: "x", unreachable: 1 });
    expect(await byExternalId.all(sql, { externalId: "y" })).toEqual([{ externalId: "y", unreachable: 1 }]);
    expect(await byExternalId.get(sql, { externalId: "z" })).toBeUndefined();
    expect(builds).toBe(1);
    expect(new Set(texts).size).toBe(1);
  });
});
