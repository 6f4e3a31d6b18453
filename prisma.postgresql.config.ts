// The Prisma CLI's view of the PostgreSQL schema (prisma/postgresql/, generated from
// prisma/schema.prisma by `npm run db:generate-postgres`). Prisma 6.19 with the JavaScript schema
// engine needs a driver adapter even to diff two schema files, and the PostgreSQL adapter connects
// while it does (it reads, never writes): PRISMA_POSTGRES_URL names a server it may reach.
// `prisma migrate deploy` does not work through this adapter: the service applies the migrations
// itself (src/db/postgres/migratePostgres.ts). See ../shared/reference/toolchain.md.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The schema generates no Prisma client (the service reaches the database through src/db/sql): without
// a client generator saying `engineType = "client"`, the CLI would fetch the Rust query engine, and
// fail offline. This says the same for every command.
process.env.PRISMA_CLIENT_ENGINE_TYPE ??= "client";

const PRISMA_POSTGRES_URL = process.env.PRISMA_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  // The generation script points this at the schema it diffs to.
  schema: process.env.PRISMA_POSTGRES_SCHEMA ?? "prisma/postgresql/schema.prisma",
  migrations: { path: "prisma/postgresql/migrations" },
  adapter: async () => new PrismaPg({ connectionString: PRISMA_POSTGRES_URL }),
});
