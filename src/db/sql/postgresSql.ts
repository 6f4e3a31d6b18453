import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import { databaseError } from "../databaseUnavailable.ts";
import { sqlTimestamp } from "./sqlTimestamp.ts";
import type { Sql, SqlParams, SqlRunResult, SqlValue } from "./sql.ts";
import { storableText } from "./sql.ts";
import { toPostgresText, type PostgresStatement } from "./postgresText.ts";

/**
 * Rows as SQLite gives them, so a store reads the same values from both databases:
 * booleans as 1/0, bigint counts and numeric sums as numbers (amounts in đồng are far below 2^53),
 * timestamps as sqlTimestamp's ISO text in UTC (Prisma's TIMESTAMP(3) columns have no zone: the
 * service writes UTC into them). Set per pool, so Prisma's own queries keep pg's defaults.
 */
const OID = { bool: 16, int8: 20, numeric: 1700, timestamp: 1114, timestamptz: 1184 } as const;
const parsers = new Map<number, (text: string) => unknown>([
  [OID.bool, (text) => (text === "t" ? 1 : 0)],
  [OID.int8, Number],
  [OID.numeric, Number],
  [OID.timestamp, (text) => sqlTimestamp(new Date(`${text.replace(" ", "T")}Z`))],
  [OID.timestamptz, (text) => sqlTimestamp(new Date(text))],
]);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    parsers.get(oid) ?? pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** Pool settings: the service's connections in one instance (each request holds one only for its statement or transaction). */
export function postgresPool(url: string, settings: { poolSize: number; busyTimeoutMs: number }): pg.Pool {
  // lock_timeout: a statement waiting longer for a lock fails (55P03, DatabaseUnavailable "locked")
  // rather than hold its request for ever, as SQLite's busy timeout does.
  const pool = new pg.Pool({ connectionString: url, max: settings.poolSize, types, lock_timeout: settings.busyTimeoutMs });
  // An idle connection the server dropped (restart, failover) must not take the process down: the
  // pool replaces it, and the next query reports the problem to its caller.
  pool.on("error", () => undefined);
  return pool;
}

const MAX_NAMED_STATEMENTS = 2_000;

/** `Sql` on a node-postgres pool. */
export class PostgresSql implements Sql {
  readonly dialect = "postgres" as const;
  private readonly translated = new Map<string, PostgresStatement & { name?: string }>();
  private readonly context = new AsyncLocalStorage<pg.PoolClient>();

  constructor(readonly pool: pg.Pool) {}

  async all<Row>(text: string, params?: SqlParams): Promise<Row[]> {
    return (await this.query(text, params)).rows as Row[];
  }

  async get<Row>(text: string, params?: SqlParams): Promise<Row | undefined> {
    return (await this.query(text, params)).rows[0] as Row | undefined;
  }

  async run(text: string, params?: SqlParams): Promise<SqlRunResult> {
    return { changes: (await this.query(text, params)).rowCount ?? 0 };
  }

  inTransaction(): boolean {
    return this.context.getStore() !== undefined;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    const client = await this.pool.connect().catch((error: unknown) => {
      throw databaseError(error);
    });
    let broken: unknown = undefined;
    try {
      await client.query("BEGIN");
      const result = await this.context.run(client, fn);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => (broken = rollbackError));
      throw databaseError(error);
    } finally {
      // A connection whose rollback failed is in an unknown state: the pool closes it.
      client.release(broken as Error | undefined);
    }
  }

  async exec(text: string): Promise<void> {
    try {
      await (this.context.getStore() ?? this.pool).query(text);
    } catch (error) {
      throw databaseError(error);
    }
  }

  async close(): Promise<void> {
    // Closing twice (a test server, then its temporary database) is harmless, as on SQLite.
    if (!this.pool.ended && !this.pool.ending) await this.pool.end();
  }

  private async query(text: string, params: SqlParams | undefined): Promise<pg.QueryResult> {
    try {
      return await this.queryNow(text, params);
    } catch (error) {
      throw databaseError(error);
    }
  }

  private queryNow(text: string, params: SqlParams | undefined): Promise<pg.QueryResult> {
    let statement = this.translated.get(text);
    if (!statement) {
      statement = toPostgresText(text);
      // Named: each connection parses and plans it once, then only binds and runs it (a hop's
      // statements are the same every time; parsing them again cost PostgreSQL about a third of its
      // time per hop). Statements built with a varying number of values are many: past a bound,
      // new ones run unnamed and are not kept.
      if (this.translated.size < MAX_NAMED_STATEMENTS) {
        statement = { ...statement, name: `ansinh_${this.translated.size}` };
        this.translated.set(text, statement);
      }
    }
    const values =
      params === undefined
        ? []
        : Array.isArray(params)
          ? (params as SqlValue[]).map(bindable)
          : statement.names.map((name) => bindable((params as Record<string, SqlValue>)[name]));
    return (this.context.getStore() ?? this.pool).query({ name: statement.name, text: statement.text, values, types });
  }
}

function bindable(value: SqlValue): unknown {
  if (typeof value === "string") return storableText(value);
  return value === undefined ? null : value;
}
