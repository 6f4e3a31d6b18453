/** Timestamps in the format the Prisma SQLite adapter writes and reads (ISO 8601, +00:00); PostgreSQL rows are read back in it too. */
export function sqlTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace("Z", "+00:00");
}
