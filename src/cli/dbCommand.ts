import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config.ts";
import { openDatabase } from "../db/database.ts";
import { isPostgresUrl } from "../db/databaseUrl.ts";
import { copyToPostgres } from "../db/postgres/copyToPostgres.ts";
import { applyPostgresMigrations } from "../db/postgres/migratePostgres.ts";
import { table } from "./withDatabase.ts";

export function registerDb(program: Command): void {
  const db = program.command("db").description("the database itself: migrations and backups");

  db.command("migrate")
    .description("apply pending migrations to DATABASE_URL (SQLite or PostgreSQL); the service does it too when it opens the database")
    .action(async () => {
      const url = loadConfig().databaseUrl;
      let applied: string[];
      if (isPostgresUrl(url)) {
        applied = await applyPostgresMigrations(url);
      } else {
        const database = await openDatabase(url); // applies them on open, as every command does
        applied = database.migrationsApplied;
        await database.close();
      }
      process.stdout.write(applied.length ? `applied ${applied.length} migrations: ${applied.join(", ")}\n` : "nothing to apply: the database is up to date\n");
    });

  db.command("copy-to-postgres")
    .requiredOption("--to <url>", "the EMPTY PostgreSQL database to fill (postgresql://…)")
    .description(
      "copy the SQLite database (DATABASE_URL) to an empty PostgreSQL database: migrations, every table in one transaction, sequences, then a count check",
    )
    .action(async (options: { to: string }) => {
      const url = loadConfig().databaseUrl;
      if (isPostgresUrl(url)) throw new Error("DATABASE_URL must be the SQLite database to copy from (a file: URL), not PostgreSQL");
      if (!isPostgresUrl(options.to)) throw new Error("--to must be a PostgreSQL URL (postgresql://…)");
      const database = await openDatabase(url);
      let matches: boolean;
      try {
        // DATABASE_URL was checked above to be a SQLite file.
        const result = await copyToPostgres(database.sqlite!, options.to, (line) => process.stderr.write(`${line}\n`));
        matches = result.matches;
        const rows = result.counts.map((c) => [c.table, String(c.sqlite), String(c.postgres), c.sqlite === c.postgres ? "ok" : "DIFFERENT"]);
        process.stdout.write(`${table(["table", "sqlite", "postgresql", "check"], rows)}\n`);
        process.stdout.write(
          matches
            ? `copied ${database.file} to PostgreSQL: every table has the same number of rows\n`
            : "the row counts differ: do not use the PostgreSQL copy\n",
        );
      } finally {
        await database.close();
      }
      if (!matches) process.exitCode = 1;
    });

  db.command("backup")
    .argument("<file>", "where to write the copy (a new file: an existing one is never overwritten)")
    .description("copy the SQLite database while the service keeps serving (SQLite's online backup); for PostgreSQL use pg_dump")
    .action(async (file: string) => {
      const config = loadConfig();
      const url = config.databaseUrl;
      if (isPostgresUrl(url)) throw new Error("DATABASE_URL is PostgreSQL: back it up with pg_dump (e.g. pg_dump -Fc -f ansinh.dump \"$DATABASE_URL\")");
      const target = path.resolve(file);
      if (fs.existsSync(target)) throw new Error(`${file} exists already: choose a new file name (a backup never overwrites one)`);
      const database = await openDatabase(url, config);
      try {
        // Page by page, letting the service's writes in between; the copy is consistent as of its end.
        const { totalPages } = await database.sqlite!.backup(target); // a file: URL, checked above
        process.stdout.write(`backed up ${database.file} to ${target} (${totalPages} pages)\n`);
        const keyFile = path.join(path.dirname(database.file ?? "."), "secret.key");
        if (!config.secret && fs.existsSync(keyFile)) {
          process.stdout.write(`keep ${keyFile} with it: without that key, ID hashes and sealed accounts in the copy cannot be used\n`);
        }
      } finally {
        await database.close();
      }
    });
}
