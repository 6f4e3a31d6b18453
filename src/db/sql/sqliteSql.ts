import { AsyncLocalStorage } from "node:async_hooks";
import type Database from "better-sqlite3";
import { databaseError } from "../databaseUnavailable.ts";
import type { Sql, SqlParams, SqlRunResult, SqlValue } from "./sql.ts";
import { storableText } from "./sql.ts";

type Bindable = string | number | bigint | null | Buffer;

const MAX_KEPT_STATEMENTS = 2_000;

interface OpenTransaction {
  /** Settles when the transaction has committed or rolled back. */
  ended: Promise<void>;
}

/**
 * `Sql` on one better-sqlite3 connection. Statements are prepared once and kept (a prepared
 * statement costs ~7 µs to run, preparing it again costs more than that), and run synchronously:
 * outside a transaction a query costs no more than before, the promise only carries its result.
 *
 * The connection is shared by every request, so while one request's transaction is open (it may
 * await between its statements) the queries of other requests wait for it to end: otherwise they
 * would run inside it, and be undone with it.
 */
export class SqliteSql implements Sql {
  readonly dialect = "sqlite" as const;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly context = new AsyncLocalStorage<OpenTransaction>();
  private open: OpenTransaction | null = null;

  constructor(readonly connection: Database.Database) {}

  async all<Row>(text: string, params?: SqlParams): Promise<Row[]> {
    while (this.othersHold()) await this.open!.ended;
    return this.bind(this.statement(text), params, "all") as Row[];
  }

  async get<Row>(text: string, params?: SqlParams): Promise<Row | undefined> {
    while (this.othersHold()) await this.open!.ended;
    return this.bind(this.statement(text), params, "get") as Row | undefined;
  }

  async run(text: string, params?: SqlParams): Promise<SqlRunResult> {
    while (this.othersHold()) await this.open!.ended;
    const statement = this.statement(text);
    // A statement with RETURNING reads rows; run it to its end so every row is written.
    if (statement.reader) return { changes: (this.bind(statement, params, "all") as unknown[]).length };
    return { changes: (this.bind(statement, params, "run") as Database.RunResult).changes };
  }

  inTransaction(): boolean {
    return this.open !== null && this.context.getStore() === this.open;
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    // Checked and taken in one synchronous step: two callers woken by the same commit must not both begin.
    while (this.open) await this.open.ended;
    let end!: () => void;
    const mine: OpenTransaction = { ended: new Promise<void>((resolve) => (end = resolve)) };
    this.open = mine;
    try {
      this.connection.exec("BEGIN IMMEDIATE");
      try {
        const result = await this.context.run(mine, fn);
        this.connection.exec("COMMIT");
        return result;
      } catch (error) {
        // A failed COMMIT (disk full) may leave the transaction open: undo it, so nothing half-written stays.
        if (this.connection.inTransaction) this.connection.exec("ROLLBACK");
        throw error;
      }
    } catch (error) {
      // Locked past the busy timeout, disk full, …: the caller sees DatabaseUnavailable.
      throw databaseError(error);
    } finally {
      this.open = null;
      end();
    }
  }

  async exec(text: string): Promise<void> {
    while (this.othersHold()) await this.open!.ended;
    try {
      this.connection.exec(text);
    } catch (error) {
      throw databaseError(error);
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.connection.open) this.connection.close();
  }

  /**
   * Whether another request's transaction holds the connection. Callers wait in a loop of their own
   * and run their statement right after the check, with no await between (a helper that awaited
   * would let another transaction begin in the gap).
   */
  private othersHold(): boolean {
    return this.open !== null && this.context.getStore() !== this.open;
  }

  private statement(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.connection.prepare(text);
      // Statements built with a varying number of values (IN lists, multi-row inserts) are many:
      // past a bound, new ones are prepared for the call and not kept.
      if (this.statements.size < MAX_KEPT_STATEMENTS) this.statements.set(text, statement);
    }
    return statement;
  }

  private bind(statement: Database.Statement, params: SqlParams | undefined, how: "all" | "get" | "run"): unknown {
    try {
      return this.bindNow(statement, params, how);
    } catch (error) {
      throw databaseError(error);
    }
  }

  private bindNow(statement: Database.Statement, params: SqlParams | undefined, how: "all" | "get" | "run"): unknown {
    if (params === undefined) return statement[how]();
    if (Array.isArray(params)) return statement[how](...(params as SqlValue[]).map(bindable));
    const named: Record<string, Bindable> = {};
    for (const [name, value] of Object.entries(params)) named[name] = bindable(value);
    return statement[how](named);
  }
}

/** SQLite has no booleans (they are 1/0) and no undefined. */
function bindable(value: SqlValue): Bindable {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") return storableText(value);
  return value as Bindable;
}
