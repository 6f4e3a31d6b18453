// Prisma 6.19 with the JavaScript schema engine and the better-sqlite3 driver adapter:
// the only combination that works offline here (see ../shared/reference/toolchain.md).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The schema generates no Prisma client (the service reaches the database through src/db/sql): without
// a client generator saying `engineType = "client"`, the CLI would fetch the Rust query engine, and
// fail offline. This says the same for every command.
process.env.PRISMA_CLIENT_ENGINE_TYPE ??= "client";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? "file:./data/ansinh.db" }),
});
