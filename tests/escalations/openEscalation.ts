import type { Sql } from "../../src/db/sql/sql.ts";
import { sqlTimestamp } from "../../src/db/sql/sqlTimestamp.ts";

/** Inserts an escalation ("talk to a person") left open by a chat at `at`, waiting for an operator; returns its id. */
export async function insertOpenEscalation(sql: Sql, channel: string, externalId: string, at: Date): Promise<number> {
  const stamp = sqlTimestamp(at);
  const row = await sql.get<{ id: number }>(
    `INSERT INTO Escalation (channel, externalId, topic, transcript, status, createdAt, updatedAt, lastActivityAt) VALUES (?, ?, 'human', '[]', 'open', ?, ?, ?) RETURNING id`,
    [channel, externalId, stamp, stamp, stamp],
  );
  return row!.id;
}
