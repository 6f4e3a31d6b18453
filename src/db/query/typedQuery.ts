import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  RawNode,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type QueryResult,
} from "kysely";
import type { Dialect, Sql } from "../sql/sql.ts";
import type { DB } from "./tables.ts";

/** The typed query builder of the service's tables. */
export type TypedQuery = Kysely<DB>;

const builders = new WeakMap<Sql, TypedQuery>();

/**
 * Kysely on `sql`: queries are typed by the generated tables, compiled to the text of `sql`'s
 * dialect (`?` or `$1`, quoted names) and run through `sql` itself. So they join its ambient
 * transaction and its group commit, and reuse its prepared statements (SQLite's statement cache,
 * PostgreSQL's named statements), as the hand-written statements do. Open transactions with
 * `sql.transaction`, never Kysely's. One builder per `Sql`.
 *
 * Each `.execute()` builds and compiles its query (tens of microseconds): statements on a USSD
 * hop's path are compiled once instead (preparedQuery.ts).
 */
export function typedQuery(sql: Sql): TypedQuery {
  let builder = builders.get(sql);
  if (!builder) {
    builder = new Kysely<DB>({ dialect: dialectOn(sql) });
    builders.set(sql, builder);
  }
  return builder;
}

/** A builder that only compiles (for statements compiled once, see preparedQuery.ts). */
export function compilingQuery(dialect: Dialect): TypedQuery {
  let builder = compilers.get(dialect);
  if (!builder) {
    builder = new Kysely<DB>({ dialect: dialectOn({ dialect, all: refuse, run: refuse }) });
    compilers.set(dialect, builder);
  }
  return builder;
}

const compilers = new Map<Dialect, TypedQuery>();

function refuse(): never {
  throw new Error("this query builder only compiles: run its statements through Sql");
}

function dialectOn(sql: Pick<Sql, "dialect" | "all" | "run">): KyselyDialect {
  const postgres = sql.dialect === "postgres";
  return {
    createAdapter: () => (postgres ? new PostgresAdapter() : new SqliteAdapter()),
    createQueryCompiler: () => (postgres ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    createIntrospector: (db) => (postgres ? new PostgresIntrospector(db) : new SqliteIntrospector(db)),
    createDriver: () => new SqlDriver(new SqlConnection(sql)),
  };
}

/** Whether the statement returns rows (read with `all`) or only changes them (`run`). */
function returnsRows(query: CompiledQuery["query"]): boolean {
  if (SelectQueryNode.is(query)) return true;
  if (RawNode.is(query)) return /^\s*(select|with|values)\b/i.test(query.sqlFragments[0] ?? "");
  return "returning" in query && query.returning !== undefined;
}

class SqlConnection implements DatabaseConnection {
  constructor(private readonly sql: Pick<Sql, "all" | "run">) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (returnsRows(compiled.query)) return { rows: await this.sql.all<R>(compiled.sql, compiled.parameters) };
    const { changes } = await this.sql.run(compiled.sql, compiled.parameters);
    return { rows: [], numAffectedRows: BigInt(changes) };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming is not supported: page with limit/offset");
  }
}

/** One connection for every query: `Sql` holds the real ones (and the ambient transaction). */
class SqlDriver implements Driver {
  constructor(private readonly connection: SqlConnection) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(): Promise<void> {
    throw new Error("open transactions with sql.transaction (they are ambient), not with Kysely");
  }

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {}

  async destroy(): Promise<void> {}
}
