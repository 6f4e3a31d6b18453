import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { audit } from "../audit.ts";

export interface RetentionResult {
  transcriptLines: number;
  inboundUpdates: number;
  messagesStripped: number;
}

/**
 * The day (yyyy-mm-dd) a UTC timestamp column falls on in Vietnam (UTC+7 all year), in either
 * dialect: the dashboard's months are Vietnam's, so a line written at 06:00 on 1 January in
 * Vietnam (23:00 UTC the day before) is counted in January, as it was while it was kept.
 */
function dayOf(sql: Sql, column: string): string {
  return sql.dialect === "postgres" ? `to_char(${column} + INTERVAL '7 hours', 'YYYY-MM-DD')` : `date(${column}, '+7 hours')`;
}

/**
 * Keeps personal data only as long as its purpose needs (Law 91/2025/QH15): conversation
 * transcripts (MessageLog) and handled inbound updates (InboundUpdate) older than `days` are
 * deleted, and the words of messages the outbox is done with (sent, delivered, failed, cancelled)
 * are stripped (the rows stay: the dashboard counts them). What is deleted is counted first, per
 * day (in Vietnam) and channel, in RetentionCount: the dashboard adds those counts to the lines
 * still kept (dashboardFigures), so a month's figure does not drop when its lines go. Idempotent; one transaction; audited when it removed anything.
 */
export async function applyRetention(sql: Sql, options: { now: Date; days: number }): Promise<RetentionResult> {
  const cutoff = sqlTimestamp(new Date(options.now.getTime() - options.days * 86_400_000));
  const count = (table: string, dayColumn: string, where: string) =>
    sql.run(
      `INSERT INTO RetentionCount (tableName, day, channel, count)
       SELECT '${table}', ${dayOf(sql, dayColumn)}, channel, COUNT(*) FROM ${table} WHERE ${where} GROUP BY ${dayOf(sql, dayColumn)}, channel
       ON CONFLICT(tableName, day, channel) DO UPDATE SET count = RetentionCount.count + excluded.count`,
      { cutoff },
    );
  return sql.transaction(async () => {
    const oldLines = "createdAt < @cutoff";
    await count("MessageLog", "createdAt", oldLines);
    const transcriptLines = (await sql.run(`DELETE FROM MessageLog WHERE ${oldLines}`, { cutoff })).changes;
    // Pending updates are still to be answered: only handled ones go.
    const oldUpdates = "receivedAt < @cutoff AND status IN ('done', 'failed')";
    await count("InboundUpdate", "receivedAt", oldUpdates);
    const inboundUpdates = (await sql.run(`DELETE FROM InboundUpdate WHERE ${oldUpdates}`, { cutoff })).changes;
    const messagesStripped = (
      await sql.run(
        `UPDATE OutboxMessage SET text = NULL, lastError = NULL WHERE createdAt < @cutoff AND status IN ('sent', 'delivered', 'failed', 'cancelled')
           AND (text IS NOT NULL OR lastError IS NOT NULL)`,
        { cutoff },
      )
    ).changes;
    const result = { transcriptLines, inboundUpdates, messagesStripped };
    if (transcriptLines + inboundUpdates + messagesStripped > 0) {
      await audit(sql, { actorKind: "system", actorId: "retention", action: "retention.applied", entity: "RetentionCount", after: { ...result, olderThan: cutoff }, at: options.now });
    }
    return result;
  });
}
