import type { Sql } from "../../db/sql/sql.ts";
import { matchKey } from "../../shared/text.ts";

/** A condition restricting the query to communes (from the console's Scope.communeFilter). */
export interface CommuneCondition {
  sql: string;
  params: number[];
}

export interface PersonListing {
  id: number;
  code: string;
  fullName: string;
  communeId: number;
  commune: string;
  village: string | null;
  category: string;
  status: string;
  dateOfBirth: string;
  phone: string | null;
  citizenIdLast4: string | null;
  paymentMethod: string | null;
}

export interface PersonDetails extends PersonListing {
  sex: string | null;
  monthlyAmount: number | null;
  accountProvider: string | null;
  accountLast4: string | null;
  payPoint: string | null;
  guardians: { fullName: string; relation: string | null; phone: string | null }[];
  payments: { period: string; amount: number; backPay: number; method: string; payDate: string; status: string; failureReason: string | null }[];
  channels: { channel: string; verification: string | null; remindersOn: boolean; unreachable: boolean; prefersVoice: boolean }[];
  /** Their answers to the personal-data notice on every channel, oldest first: the evidence of consent, and of its withdrawal. */
  consents: { channel: string; decision: string; noticeVersion: string; createdAt: string }[];
}

const LISTING = `b.id, b.code, b.fullName, b.communeId, c.name AS commune, b.village, b.category, b.status, b.dateOfBirth, b.phone,
  b.citizenIdLast4, b.paymentMethod`;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Beneficiaries within the given communes, optionally of one commune and matching a name or code,
 * by name; a page of them and the total.
 */
export async function searchPeople(
  sql: Sql,
  filter: { communes: CommuneCondition; communeId?: number; query?: string; limit: number; offset: number },
): Promise<{ people: PersonListing[]; total: number }> {
  const where = [filter.communes.sql];
  const params: (string | number)[] = [...filter.communes.params];
  if (filter.communeId !== undefined) {
    where.push("b.communeId = ?");
    params.push(filter.communeId);
  }
  const query = matchKey(filter.query ?? "");
  if (query) {
    // ansinh_fold: matchKey inside the database, made when it is opened (src/db/foldFunction.ts).
    where.push(`(ansinh_fold(b.fullName) LIKE ? ESCAPE '\\' OR lower(b.code) LIKE ? ESCAPE '\\')`);
    params.push(likePattern(query), likePattern(query));
  }
  const condition = where.join(" AND ");
  const total = (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM Beneficiary b WHERE ${condition}`, params))!.n;
  const people = await sql.all<PersonListing>(
    `SELECT ${LISTING} FROM Beneficiary b JOIN Commune c ON c.id = b.communeId WHERE ${condition} ORDER BY b.fullName, b.id LIMIT ? OFFSET ?`,
    [...params, filter.limit, filter.offset],
  );
  return { people, total };
}

/** One beneficiary with guardians, payments (newest first), the channels they use and their consents; null when unknown. */
export async function findPerson(sql: Sql, id: number): Promise<PersonDetails | null> {
  const person = await sql.get<Omit<PersonDetails, "guardians" | "payments" | "channels" | "consents">>(
    `SELECT ${LISTING}, b.sex, b.monthlyAmount, b.accountProvider, b.accountLast4, b.payPoint
     FROM Beneficiary b JOIN Commune c ON c.id = b.communeId WHERE b.id = ?`,
    [id],
  );
  if (!person) return null;
  const guardians = await sql.all<PersonDetails["guardians"][number]>(
    `SELECT g.fullName, l.relation, g.phone FROM GuardianLink l JOIN Guardian g ON g.id = l.guardianId WHERE l.beneficiaryId = ? ORDER BY l.id`,
    [id],
  );
  const payments = await sql.all<PersonDetails["payments"][number]>(
    `SELECT pp.period, p.amount, p.backPay, p.method, p.payDate, p.status, p.failureReason
     FROM Payment p JOIN PaymentPeriod pp ON pp.id = p.periodId WHERE p.beneficiaryId = ? ORDER BY pp.period DESC`,
    [id],
  );
  const channelRows = await sql.all<{ channel: string; verification: string | null; remindersOn: number; unreachable: number; prefersVoice: number }>(
    `SELECT DISTINCT i.channel, i.verification, i.remindersOn, i.unreachable, i.prefersVoice FROM ChannelIdentity i
     LEFT JOIN GuardianLink l ON l.guardianId = i.guardianId
     WHERE i.beneficiaryId = ? OR l.beneficiaryId = ? ORDER BY i.channel`,
    [id, id],
  );
  const channels = channelRows.map((c) => ({ ...c, remindersOn: c.remindersOn === 1, unreachable: c.unreachable === 1, prefersVoice: c.prefersVoice === 1 }));
  // The beneficiary's own answers (a guardian's name the beneficiary too, but are the guardian's).
  const consents = await sql.all<PersonDetails["consents"][number]>(
    `SELECT channel, decision, noticeVersion, createdAt FROM Consent WHERE beneficiaryId = ? AND guardianId IS NULL ORDER BY id`,
    [id],
  );
  return { ...person, guardians, payments, channels, consents };
}
