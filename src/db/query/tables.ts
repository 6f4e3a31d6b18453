import type { Selectable } from "kysely";
import type { DB } from "../generated-kysely/tables.ts";

/**
 * The tables as rows come back from `Sql` on both databases, generated from prisma/schema.prisma
 * (`npm run db:generate-types`, see ../generated-kysely/tables.ts). The generator reads the SQLite
 * schema, whose types are what both clients return: a DateTime is the ISO text `sqlTimestamp`
 * writes (PostgreSQL's timestamps are parsed into it, see postgresSql.ts), a Boolean is 1 or 0
 * (written as true/false), counts and sums are numbers.
 */
export type { DB };

/** A row of `table` as a query returns it. */
export type Row<Table extends keyof DB> = Selectable<DB[Table]>;
