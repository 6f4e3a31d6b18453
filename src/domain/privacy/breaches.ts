import { sqlTimestamp } from "../../db/sql/sqlTimestamp.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { audit } from "../audit.ts";

/** Law 91/2025/QH15: a personal-data breach is reported to the authority within 72 hours. */
const REPORT_WITHIN_HOURS = 72;

/** The tables that hold personal data, and how each names the beneficiaries whose data it holds. */
export const BREACH_TABLES: Record<string, string> = {
  Beneficiary: `SELECT id FROM Beneficiary`,
  Payment: `SELECT beneficiaryId AS id FROM Payment`,
  MethodChangeRequest: `SELECT beneficiaryId AS id FROM MethodChangeRequest`,
  ChannelIdentity: `SELECT beneficiaryId AS id FROM ChannelIdentity WHERE beneficiaryId IS NOT NULL`,
  MessageLog: `SELECT ci.beneficiaryId AS id FROM MessageLog m JOIN ChannelIdentity ci ON ci.channel = m.channel AND ci.externalId = m.externalId WHERE ci.beneficiaryId IS NOT NULL`,
  OutboxMessage: `SELECT beneficiaryId AS id FROM OutboxMessage WHERE beneficiaryId IS NOT NULL`,
  Escalation: `SELECT beneficiaryId AS id FROM Escalation WHERE beneficiaryId IS NOT NULL`,
  Consent: `SELECT beneficiaryId AS id FROM Consent WHERE beneficiaryId IS NOT NULL`,
  PrivacyRequest: `SELECT beneficiaryId AS id FROM PrivacyRequest WHERE beneficiaryId IS NOT NULL`,
};

export interface Breach {
  id: number;
  detectedAt: string;
  description: string;
  tables: string;
  recordedBy: string;
  reportedAt: string | null;
  createdAt: string;
}

export function reportDeadline(breach: Pick<Breach, "detectedAt">): Date {
  return new Date(new Date(breach.detectedAt).getTime() + REPORT_WITHIN_HOURS * 3_600_000);
}

export async function recordBreach(sql: Sql, input: { detectedAt: Date; description: string; tables: string[]; by: string; now: Date }): Promise<number> {
  const tables = input.tables.filter((t) => t in BREACH_TABLES);
  return sql.transaction(async () => {
    const { id } = (await sql.get<{ id: number }>(
      `INSERT INTO DataBreach (detectedAt, description, tables, recordedBy, createdAt) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      [sqlTimestamp(input.detectedAt), input.description, tables.join(","), input.by, sqlTimestamp(input.now)],
    ))!;
    await audit(sql, { actorKind: "staff", actorId: input.by, action: "breach.recorded", entity: "DataBreach", entityId: id, after: { tables, detectedAt: sqlTimestamp(input.detectedAt) }, at: input.now });
    return id;
  });
}

export async function markBreachReported(sql: Sql, id: number, by: string, now: Date): Promise<void> {
  await sql.transaction(async () => {
    const { changes } = await sql.run(`UPDATE DataBreach SET reportedAt = ? WHERE id = ? AND reportedAt IS NULL`, [sqlTimestamp(now), id]);
    if (changes) await audit(sql, { actorKind: "staff", actorId: by, action: "breach.reported", entity: "DataBreach", entityId: id, at: now });
  });
}

export function listBreaches(sql: Sql): Promise<Breach[]> {
  return sql.all<Breach>(`SELECT id, detectedAt, description, tables, recordedBy, reportedAt, createdAt FROM DataBreach ORDER BY detectedAt DESC, id DESC`);
}

export function findBreach(sql: Sql, id: number): Promise<Breach | undefined> {
  return sql.get<Breach>(`SELECT id, detectedAt, description, tables, recordedBy, reportedAt, createdAt FROM DataBreach WHERE id = ?`, [id]);
}

/** The people whose data the breached tables held (as they are now): whom to inform. */
export async function affectedPeople(sql: Sql, breach: Pick<Breach, "tables">): Promise<{ code: string; fullName: string; commune: string }[]> {
  const selects = breach.tables
    .split(",")
    .filter((t) => t in BREACH_TABLES)
    .map((t) => BREACH_TABLES[t]);
  if (!selects.length) return [];
  return sql.all(
    `SELECT b.code, b.fullName, c.name AS commune FROM Beneficiary b JOIN Commune c ON c.id = b.communeId
     WHERE b.id IN (${selects.join(" UNION ")}) ORDER BY c.name, b.fullName, b.code`,
  );
}
