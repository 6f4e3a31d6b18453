import type { Sql } from "../../db/sql/sql.ts";
import { audit, type ActorKind } from "../audit.ts";
import { escapeHtml } from "../../shared/escapeHtml.ts";

type Row = Record<string, unknown>;

/** Everything held about one beneficiary (the right of access), as sections of rows. */
export interface PersonalDataExport {
  json: { person: Row; exportedAt: string; note: string; sections: Record<string, Row[]> };
  html: string;
}

// The sealed account number is never exported (the last four digits are); another person's data
// never appears: guardians and the people this person acts for are listed by name only.
const PERSON = `SELECT b.id, b.code, b.fullName, b.dateOfBirth, b.sex, b.citizenIdLast4, b.phone, c.name AS commune, b.village, b.category,
    b.coefficient, b.monthlyAmount, b.status, b.preferredLanguage, b.paymentMethod, b.accountProvider, b.accountLast4, b.payPoint, b.createdAt, b.updatedAt
  FROM Beneficiary b JOIN Commune c ON c.id = b.communeId WHERE b.id = ?`;
const IDENTITIES = `SELECT id, channel, externalId, verification, verifiedAt, locale, remindersOn, createdAt FROM ChannelIdentity WHERE beneficiaryId = ? ORDER BY id`;

/** Identity pairs (channel, externalId) as a SQL condition with its parameters. */
function identityCondition(identities: Row[], prefix = ""): { where: string; params: unknown[] } {
  if (!identities.length) return { where: "1 = 0", params: [] };
  return {
    where: `(${identities.map(() => `(${prefix}channel = ? AND ${prefix}externalId = ?)`).join(" OR ")})`,
    params: identities.flatMap((i) => [i.channel, i.externalId]),
  };
}

/**
 * Collects the person's data: record, payments, method changes, channel links, conversations
 * (MessageLog of their own channel identities), messages sent to them (OutboxMessage), consents,
 * personal-data requests, escalations and the audit rows that name them. Audited as
 * "personal_data.exported". Null when there is no such beneficiary.
 */
export async function exportPersonalData(
  sql: Sql,
  who: { beneficiaryId: number },
  context: { actor: { kind: ActorKind; id: string }; now: Date },
): Promise<PersonalDataExport | null> {
  const id = who.beneficiaryId;
  const person = await sql.get<Row>(PERSON, [id]);
  if (!person) return null;
  const identities = await sql.all<Row>(IDENTITIES, [id]);
  const own = identityCondition(identities);
  const ownOutbox = own;
  const idPattern = (key: string) => [`%"${key}":${id},%`, `%"${key}":${id}}%`];
  const sections: Record<string, Row[]> = {
    guardians: await sql.all(`SELECT g.fullName AS name, l.relation FROM GuardianLink l JOIN Guardian g ON g.id = l.guardianId WHERE l.beneficiaryId = ? ORDER BY l.id`, [id]),
    actsFor: person.phone
      ? await sql.all(
          `SELECT DISTINCT b.fullName AS name FROM Guardian g JOIN GuardianLink l ON l.guardianId = g.id JOIN Beneficiary b ON b.id = l.beneficiaryId
           WHERE g.phone = ? AND b.id != ? ORDER BY b.fullName`,
          [person.phone, id],
        )
      : [],
    payments: await sql.all(
      `SELECT pp.period, p.amount, p.backPay, p.payDate, p.method, p.payPoint, p.accountProvider, p.accountLast4, p.status, p.paidAt, p.failureReason
       FROM Payment p JOIN PaymentPeriod pp ON pp.id = p.periodId WHERE p.beneficiaryId = ? ORDER BY pp.period, p.id`,
      [id],
    ),
    methodChanges: await sql.all(
      `SELECT reference, requestedMethod, accountProvider, accountLast4, walletPhone, homeReason, requestedByKind, channel, status, decidedAt, decisionReason, createdAt
       FROM MethodChangeRequest WHERE beneficiaryId = ? ORDER BY id`,
      [id],
    ),
    channelIdentities: identities,
    conversations: await sql.all(`SELECT channel, externalId, direction, text, createdAt FROM MessageLog WHERE ${own.where} ORDER BY id`, own.params),
    messagesSent: await sql.all(
      `SELECT channel, externalId, kind, locale, text, status, dueAt, sentAt FROM OutboxMessage WHERE beneficiaryId = ? OR ${ownOutbox.where} ORDER BY id`,
      [id, ...ownOutbox.params],
    ),
    // Their answers on every channel (also phones and chats no longer linked), not a guardian's that name them.
    consents: await sql.all(
      `SELECT channel, externalId, decision, noticeVersion, createdAt FROM Consent WHERE (beneficiaryId = ? AND guardianId IS NULL) OR ${own.where} ORDER BY id`,
      [id, ...own.params],
    ),
    privacyRequests: await sql.all(`SELECT reference, kind, details, channel, status, createdAt, answeredAt, decision, answer FROM PrivacyRequest WHERE beneficiaryId = ? ORDER BY id`, [id]),
    escalations: await sql.all(`SELECT channel, topic, details, status, createdAt FROM Escalation WHERE beneficiaryId = ? ORDER BY id`, [id]),
    audit: await sql.all(
      `SELECT actorKind, actorId, action, entity, entityId, channel, before, after, createdAt FROM AuditLog
       WHERE (entity = 'Beneficiary' AND entityId = ?)
          OR after LIKE ? OR after LIKE ? OR before LIKE ? OR before LIKE ?
          OR (entity = 'ChannelIdentity' AND entityId IN (${identities.map(() => "?").join(", ") || "NULL"}))
       ORDER BY id`,
      [String(id), ...idPattern("beneficiaryId"), ...idPattern("beneficiaryId"), ...identities.map((i) => `${String(i.channel)}:${String(i.externalId)}`)],
    ),
  };
  const exportedAt = context.now.toISOString();
  const note =
    "Dữ liệu AnSinh lưu về người này (Luật 91/2025/QH15). Hồ sơ chi trả được giữ theo nghĩa vụ pháp lý. / What AnSinh holds about this person; payment records are kept as a legal duty.";
  await audit(sql, {
    actorKind: context.actor.kind,
    actorId: context.actor.id,
    action: "personal_data.exported",
    entity: "Beneficiary",
    entityId: id,
    after: { counts: Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, v.length])) },
    at: context.now,
  });
  const json = { person, exportedAt, note, sections };
  return { json, html: exportHtml(json) };
}

function tableOf(rows: Row[]): string {
  if (!rows.length) return "<p>—</p>";
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => escapeHtml(v === null || v === undefined ? "" : String(v));
  return `<table><thead><tr>${columns.map((c) => `<th>${cell(c)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

/** The same data as a page a person can read or print. */
function exportHtml(data: PersonalDataExport["json"]): string {
  const title = `Dữ liệu cá nhân: ${String(data.person.fullName)}`;
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(data.note)}</p><p>${escapeHtml(data.exportedAt)}</p>
<h2>person</h2>${tableOf([data.person])}
${Object.entries(data.sections)
  .map(([name, rows]) => `<h2>${escapeHtml(name)}</h2>${tableOf(rows)}`)
  .join("\n")}
</body></html>`;
}
