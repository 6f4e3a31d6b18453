import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";
import { loadDemoDataIfEmpty } from "../../src/demo/loadDemoData.ts";
import { createServices } from "../../src/services.ts";
import { runAnsinh } from "../helpers/runAnsinh.ts";
import { describeNeeding } from "../helpers/externalServices.ts";
import { tempPostgresDatabase, withPostgres } from "../helpers/tempPostgres.ts";

// A real SQLite file with the demo data and a few rows that exercise booleans and timestamps, copied
// through the CLI to a new database on the local PostgreSQL; both removed at the end.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-copy-"));
const sqliteUrl = `file:${path.join(dir, "province.db")}`;
// Made when the first test needs it, so nothing is asked of PostgreSQL where the suite is skipped.
let postgresDatabase: ReturnType<typeof tempPostgresDatabase> | null = null;
const postgres = () => (postgresDatabase ??= tempPostgresDatabase());
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (postgresDatabase) await (await postgresDatabase).drop();
});

const copy = async () => runAnsinh(["db", "copy-to-postgres", "--to", (await postgres()).url], { cwd: dir, env: { DATABASE_URL: sqliteUrl } });

const LOCKED_UNTIL = "2026-11-29T10:00:00.000Z";
const SENT_AT = "2026-11-28T23:59:59.123Z";

/** Every application table's row count in SQLite. */
async function sqliteCounts(): Promise<Record<string, number>> {
  const db = await openDatabase(sqliteUrl);
  try {
    const tables = db.sqlite!.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name`).all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (db.sqlite!.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  } finally {
    void db.close();
  }
}

async function postgresCounts(tables: string[]): Promise<Record<string, number>> {
  return withPostgres((await postgres()).url, async (client) => {
    const counts: Record<string, number> = {};
    for (const table of tables) counts[table] = (await client.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n;
    return counts;
  });
}

let identityId: number;
let outboxId: number;
let rawOutboxId: number;

// The copy's source is a SQLite file by nature, whatever database the suite runs on: the setup
// writes it through the raw SQLite connection (db.sqlite), as the command reads it.
beforeAll(async () => {
  const services = await createServices({ config: { databaseUrl: sqliteUrl } });
  try {
    await loadDemoDataIfEmpty(services);
    const { query } = services.db;
    const sql = services.db.sqlite!;
    const beneficiary = await query.selectFrom("Beneficiary").select("id").orderBy("id").executeTakeFirstOrThrow();
    const now = sqlTimestamp();
    const identity = await query
      .insertInto("ChannelIdentity")
      .values({ channel: "telegram", externalId: "900001", beneficiaryId: beneficiary.id, remindersOn: false, lockedUntil: sqlTimestamp(new Date(LOCKED_UNTIL)), failedAttempts: 3, createdAt: now, updatedAt: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    identityId = identity.id;
    const sentAt = sqlTimestamp(new Date(SENT_AT));
    const outbox = await query
      .insertInto("OutboxMessage")
      .values({ dedupeKey: "test:ambiguous", channel: "telegram", externalId: "900001", identityId, kind: "notice", text: "(DEMO)", dueAt: sentAt, sentAt, ambiguous: true, status: "sent", createdAt: now, updatedAt: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    outboxId = outbox.id;
    // A row written by plain SQL: createdAt from SQLite's CURRENT_TIMESTAMP ("YYYY-MM-DD HH:MM:SS", UTC).
    rawOutboxId = Number(
      sql
        .prepare(`INSERT INTO "OutboxMessage" (dedupeKey, channel, externalId, kind, dueAt, updatedAt) VALUES ('test:raw', 'ussd', '+84900000001', 'notice', ?, ?)`)
        .run(sqlTimestamp(new Date(SENT_AT)), sqlTimestamp(new Date(SENT_AT))).lastInsertRowid,
    );
    // More rows than one batch holds (1,000), so the copy goes batch by batch.
    const log = sql.prepare(`INSERT INTO "MessageLog" (channel, externalId, direction, text, createdAt) VALUES ('ussd', '+84900000001', 'in', ?, ?)`);
    sql.transaction(() => {
      for (let i = 0; i < 2_345; i++) log.run(`(DEMO) ${i}`, sqlTimestamp(new Date(Date.UTC(2026, 10, 1) + i * 1000)));
    })();
  } finally {
    await services.close();
  }
});

describeNeeding(["postgres"], "ansinh db copy-to-postgres", () => {
  it("copies every table to an empty PostgreSQL database, values and sequences included", async () => {
    const before = await sqliteCounts();
    expect(before.MessageLog).toBe(2_345);
    expect(before.Beneficiary).toBeGreaterThan(0);
    expect(before.Payment).toBeGreaterThan(0);

    const result = await copy();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("every table has the same number of rows");
    expect(result.stdout).not.toContain("DIFFERENT");
    expect(result.stderr).toContain("Payment:");
    for (const table of Object.keys(before)) expect(result.stdout).toMatch(new RegExp(`^${table}\\s+${before[table]}\\s+${before[table]}\\s+ok$`, "m"));

    // Counted independently of the command's own check.
    expect(await postgresCounts(Object.keys(before))).toEqual(before);

    const db = await openDatabase(sqliteUrl);
    try {
      const beneficiary = db.sqlite!.prepare(`SELECT id, fullName FROM "Beneficiary" ORDER BY id LIMIT 1`).get() as { id: number; fullName: string };
      const payment = db.sqlite!.prepare(`SELECT id, amount, paidAt FROM "Payment" WHERE paidAt IS NOT NULL ORDER BY id LIMIT 1`).get() as { id: number; amount: number };
      const maxOutbox = (db.sqlite!.prepare(`SELECT max(id) AS n FROM "OutboxMessage"`).get() as { n: number }).n;
      const rawCreatedAt = (db.sqlite!.prepare(`SELECT createdAt FROM "OutboxMessage" WHERE id = ?`).get(rawOutboxId) as { createdAt: string }).createdAt;
      expect(rawCreatedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

      await withPostgres((await postgres()).url, async (client) => {
        const iso = (column: string) => `to_char("${column}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${column}"`;
        expect((await client.query(`SELECT "fullName" FROM "Beneficiary" WHERE id = $1`, [beneficiary.id])).rows[0].fullName).toBe(beneficiary.fullName);
        const pgPayment = (await client.query(`SELECT amount, ${iso("paidAt")} FROM "Payment" WHERE id = $1`, [payment.id])).rows[0];
        expect(pgPayment).toEqual({ amount: payment.amount, paidAt: "2026-11-05T02:30:00.000Z" });

        const identity = (await client.query(`SELECT "remindersOn", unreachable, "failedAttempts", ${iso("lockedUntil")}, ${iso("verifiedAt")} FROM "ChannelIdentity" WHERE id = $1`, [identityId])).rows[0];
        expect(identity).toEqual({ remindersOn: false, unreachable: false, failedAttempts: 3, lockedUntil: LOCKED_UNTIL, verifiedAt: null });

        const outbox = (await client.query(`SELECT ambiguous, ${iso("sentAt")}, ${iso("claimedAt")} FROM "OutboxMessage" WHERE id = $1`, [outboxId])).rows[0];
        expect(outbox).toEqual({ ambiguous: true, sentAt: SENT_AT, claimedAt: null });
        const raw = (await client.query(`SELECT ambiguous, ${iso("createdAt")}, ${iso("dueAt")} FROM "OutboxMessage" WHERE id = $1`, [rawOutboxId])).rows[0];
        expect(raw).toEqual({ ambiguous: false, createdAt: `${rawCreatedAt.replace(" ", "T")}.000Z`, dueAt: SENT_AT });

        const lastLog = (await client.query(`SELECT text, ${iso("createdAt")} FROM "MessageLog" ORDER BY id DESC LIMIT 1`)).rows[0];
        expect(lastLog).toEqual({ text: "(DEMO) 2344", createdAt: new Date(Date.UTC(2026, 10, 1) + 2_344_000).toISOString() });

        // The sequence continues after the copied ids.
        await client.query("BEGIN");
        const inserted = (
          await client.query(
            `INSERT INTO "OutboxMessage" ("dedupeKey", channel, "externalId", kind, "dueAt", "updatedAt") VALUES ('test:after', 'ussd', '+84900000002', 'notice', now(), now()) RETURNING id`,
          )
        ).rows[0].id;
        expect(inserted).toBe(maxOutbox + 1);
        await client.query("ROLLBACK");
      });
    } finally {
      await db.close();
    }
  });

  it("refuses a second run against the same target and changes nothing there", async () => {
    const before = await sqliteCounts();
    const target = await postgresCounts(Object.keys(before));
    const result = await copy();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not empty");
    expect(result.stderr).toContain("nothing was copied");
    expect(await postgresCounts(Object.keys(before))).toEqual(target);
  });

  it("leaves the target empty when a row fails, naming the row by table and id only", async () => {
    const brokenUrl = `file:${path.join(dir, "broken.db")}`;
    const source = await openDatabase(sqliteUrl);
    source.sqlite!.exec(`VACUUM INTO '${path.join(dir, "broken.db")}'`);
    await source.close();
    const broken = await openDatabase(brokenUrl);
    const { id } = broken.sqlite!.prepare(`SELECT max(id) AS id FROM "Payment"`).get() as { id: number };
    // SQLite keeps text in an INTEGER column; PostgreSQL refuses it, after the earlier tables were inserted.
    broken.sqlite!.prepare(`UPDATE "Payment" SET amount = 'Nguyen Van A 0912345678' WHERE id = ?`).run(id);
    await broken.close();

    const target = await tempPostgresDatabase();
    try {
      const result = await runAnsinh(["db", "copy-to-postgres", "--to", target.url], { cwd: dir, env: { DATABASE_URL: brokenUrl } });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`copying Payment failed at id ${id}`);
      expect(result.stderr).toContain("nothing was copied");
      expect(result.stderr + result.stdout).not.toContain("Nguyen Van A");
      expect(result.stderr + result.stdout).not.toContain("0912345678");
      const counts = await withPostgres(target.url, async (client) => {
        const found: number[] = [];
        for (const table of Object.keys(await sqliteCounts())) found.push((await client.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n);
        return found;
      });
      expect(counts.every((n) => n === 0)).toBe(true);
    } finally {
      await target.drop();
    }
  });

  it("asks for a PostgreSQL target", async () => {
    const result = await runAnsinh(["db", "copy-to-postgres", "--to", sqliteUrl], { cwd: dir, env: { DATABASE_URL: sqliteUrl } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--to must be a PostgreSQL URL");
  });
});
