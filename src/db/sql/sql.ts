/**
 * The one way the service's stores reach the database, the same on SQLite and PostgreSQL.
 *
 * Statements are written once, in the subset both databases share, with the table and column
 * names of prisma/schema.prisma and `?` (or `@name`) placeholders; the PostgreSQL client
 * translates them (see postgresText.ts). Rows come back alike from both: booleans as 1/0,
 * counts and sums as numbers, timestamps as the ISO text `sqlTimestamp` writes. Where the two
 * databases really differ (date arithmetic, JSON, row locks), a store asks `dialect` and says why.
 *
 * A transaction is ambient: every query made inside `transaction(fn)`, by any store, in the
 * asynchronous calls `fn` makes, runs in it (AsyncLocalStorage). So stores need not pass a
 * transaction handle around, and a store's method works the same inside and outside one.
 */
export type Dialect = "sqlite" | "postgres";

/**
 * A value a statement can take: text, numbers, null (undefined is null), Buffers, booleans (stored
 * as SQLite's 1/0 and PostgreSQL's true/false). Typed loosely, as the drivers are: values often
 * come from engine effects whose fields are `unknown`, and the driver refuses anything else.
 */
export type SqlValue = unknown;

/** Positional values for `?`, or named values for `@name`. */
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface SqlRunResult {
  /** Rows the statement inserted, changed or deleted. */
  changes: number;
}

export interface Sql {
  readonly dialect: Dialect;
  all<Row = Record<string, unknown>>(text: string, params?: SqlParams): Promise<Row[]>;
  get<Row = Record<string, unknown>>(text: string, params?: SqlParams): Promise<Row | undefined>;
  run(text: string, params?: SqlParams): Promise<SqlRunResult>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, undone when it throws. Called inside
   * a transaction, `fn` joins it. On SQLite the transaction takes the write lock first (BEGIN
   * IMMEDIATE), so it never fails half-way for want of it; keep network calls out of `fn`.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** True while the calling code runs inside `transaction`. */
  inTransaction(): boolean;
  /** Statements for database upkeep (CREATE FUNCTION ...), run as written, several at once. */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}


/**
 * A text value as both databases can store it: PostgreSQL refuses a NUL character in text ("invalid
 * byte sequence for encoding UTF8: 0x00"), which anyone can type into a form or a chat, so both
 * clients bind it as U+FFFD (the replacement character) and the two databases keep the same text.
 */
export function storableText(value: string): string {
  return value.includes("\u0000") ? value.replaceAll("\u0000", "\ufffd") : value;
}
