import type { TypedQuery } from "../../src/db/query/typedQuery.ts";
import type { DB, Row } from "../../src/db/query/tables.ts";

/** Column values a row must have (null matches NULL). */
export type RowFilter<Table extends keyof DB> = Partial<Row<Table>>;

// The filter's columns vary per call: checked by the signature, built without Kysely's per-column types.
 
type AnyQuery = any;

function filtered<Table extends keyof DB>(query: TypedQuery, table: Table, filter: RowFilter<Table>): AnyQuery {
  let select: AnyQuery = query.selectFrom(table);
  for (const [column, value] of Object.entries(filter)) select = value === null ? select.where(column, "is", null) : select.where(column, "=", value);
  return select;
}

/** The rows of `table` with these column values, in the order they were made. */
export function rowsOf<Table extends keyof DB>(query: TypedQuery, table: Table, filter: RowFilter<Table> = {}): Promise<Row<Table>[]> {
  const select = filtered(query, table, filter).selectAll();
  // ConsoleUserCommune has no id.
  return (table === "ConsoleUserCommune" ? select : select.orderBy("id")).execute();
}

/** The first such row (by id), or undefined. */
export async function rowOf<Table extends keyof DB>(query: TypedQuery, table: Table, filter: RowFilter<Table> = {}): Promise<Row<Table> | undefined> {
  return (await rowsOf(query, table, filter))[0];
}

/** How many rows of `table` have these column values. */
export async function countOf<Table extends keyof DB>(query: TypedQuery, table: Table, filter: RowFilter<Table> = {}): Promise<number> {
  const row = await filtered(query, table, filter)
    .select((eb: AnyQuery) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The id of the beneficiary with this code (which must exist). */
export async function beneficiaryIdOf(query: TypedQuery, code: string): Promise<number> {
  return (await query.selectFrom("Beneficiary").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}
