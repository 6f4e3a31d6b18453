import { randomBytes } from "node:crypto";
import pg from "pg";

import { POSTGRES_ADMIN_URL } from "./externalServices.ts";

export { POSTGRES_ADMIN_URL };

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect().catch((error: Error) => {
    throw new Error(`this test needs PostgreSQL at ${POSTGRES_ADMIN_URL} (set TEST_POSTGRES_URL): ${error.message}`);
  });
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new database `ansinh_test_<random>`, empty or a copy of `template`; `drop` removes it (closing what is still connected). */
export async function tempPostgresDatabase(template?: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `ansinh_test_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs `run` with a connection to `url`, closed after. */
export async function withPostgres<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
