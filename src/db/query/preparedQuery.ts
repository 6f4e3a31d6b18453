import type { Compilable } from "kysely";
import type { Dialect, Sql } from "../sql/sql.ts";
import { compilingQuery, type TypedQuery } from "./typedQuery.ts";

/** Stands for a value given at each run; compiled into the statement as its parameter. */
class Parameter {
  constructor(readonly name: string) {}
}

/** A statement compiled once per dialect: its text and where each of its values comes from. */
interface Compiled<Params> {
  text: string;
  values: ((params: Params) => unknown)[];
}

/** A query compiled once, run with new values each time (see `prepare`). */
export interface PreparedQuery<Params, Result> {
  all(sql: Sql, params: Params): Promise<Result[]>;
  get(sql: Sql, params: Params): Promise<Result | undefined>;
  /** Rows inserted, changed or deleted. */
  run(sql: Sql, params: Params): Promise<number>;
}

/**
 * A statement of a hot path (a USSD hop's session and payments), built with Kysely and compiled
 * once per dialect on first use rather than on every call; each call only binds its values and
 * runs the text through `Sql`, so it costs what a hand-written statement costs. `param("name")`
 * stands where a value goes:
 *
 *   const LOAD = prepare((db, param: Param<{ id: number }>) => db.selectFrom("Payment").selectAll().where("id", "=", param("id")));
 *   await LOAD.get(sql, { id: 7 });
 *
 * Write the parameters' type on `param` itself, as above (TypeScript infers `Params` from it, not
 * through an alias of `Param<…>`). Values written into the builder itself are constants of the
 * statement. The statement's shape must not depend on the values (an IN list of varying length
 * cannot be prepared).
 */
export function prepare<Params, Result>(build: (db: TypedQuery, param: Param<Params>) => Compilable<Result>): PreparedQuery<Params, Result> {
  const compiled = new Map<Dialect, Compiled<Params>>();
  const compiledFor = (dialect: Dialect): Compiled<Params> => {
    let statement = compiled.get(dialect);
    if (!statement) {
      const query = build(compilingQuery(dialect), ((name: string) => new Parameter(name)) as Param<Params>).compile();
      statement = {
        text: query.sql,
        values: query.parameters.map((value) => (value instanceof Parameter ? (params: Params) => params[value.name as keyof Params] : () => value)),
      };
      compiled.set(dialect, statement);
    }
    return statement;
  };
  const bind = (statement: Compiled<Params>, params: Params) => statement.values.map((value) => value(params));
  return {
    all(sql, params) {
      const statement = compiledFor(sql.dialect);
      return sql.all<Result>(statement.text, bind(statement, params));
    },
    get(sql, params) {
      const statement = compiledFor(sql.dialect);
      return sql.get<Result>(statement.text, bind(statement, params));
    },
    async run(sql, params) {
      const statement = compiledFor(sql.dialect);
      return (await sql.run(statement.text, bind(statement, params))).changes;
    },
  };
}

/** `param("name")`: the value `params.name` of each run, typed as it. */
export type Param<Params> = <Name extends keyof Params & string>(name: Name) => Params[Name];
