import type Database from "better-sqlite3";
import { matchKey } from "../shared/text.ts";
import type { Sql } from "./sql/sql.ts";

/**
 * `ansinh_fold(text)`: the match key of src/shared/text.ts's `matchKey` inside SQL, so a search
 * for "nguyen van an" finds "Nguyễn Văn An" in the database itself (the console's people search).
 * Both databases get it when they are opened, and give the same answer:
 * - SQLite calls `matchKey` itself (a JavaScript function on the connection);
 * - PostgreSQL has the same steps written in SQL: NFD, combining marks dropped, đ/Đ to d/D, lower
 *   case, runs of spaces made one, punctuation at the ends trimmed.
 */
export function registerSqliteFold(connection: Database.Database): void {
  connection.function("ansinh_fold", { deterministic: true }, (text: unknown) => (typeof text === "string" ? matchKey(text) : null));
}

const POSTGRES_FOLD = String.raw`CREATE OR REPLACE FUNCTION ansinh_fold(input text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$
  SELECT regexp_replace(
    regexp_replace(
      lower(translate(regexp_replace(normalize(input, NFD), '[\u0300-\u036f]', '', 'g'), 'đĐ', 'dD')),
      '[\s\u00a0]+', ' ', 'g'),
    '^[\s.,;:!?''"()-]+|[\s.,;:!?''"()-]+$', '', 'g')
$fold$`;

/**
 * Creates (or updates) the PostgreSQL function. Instances opening together would otherwise race on
 * CREATE OR REPLACE ("tuple concurrently updated"): an advisory lock makes them take turns.
 */
export async function createPostgresFold(sql: Sql): Promise<void> {
  // One query string runs as one transaction, which the lock lasts for.
  await sql.exec(`SELECT pg_advisory_xact_lock(72640001); ${POSTGRES_FOLD};`);
}
