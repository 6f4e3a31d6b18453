import type Database from "better-sqlite3";
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
  channels: { channel: string; verification: string | null; remindersOn: boolean; unreachable: boolean }[];
}

const LISTING = `b.id, b.code, b.fullName, b.communeId, c.name AS commune, b.village, b.category, b.status, b.dateOfBirth, b.phone,
  b.citizenIdLast4, b.paymentMethod`;

const folded = new WeakSet<Database.Database>();
/** `ansinh_fold(text)`: names compared without case or diacritics ("nguyen van an" finds "Nguyễn Văn An"). */
function ensureFold(sql: Database.Database): void {
  if (folded.has(sql)) return;
  sql.function("ansinh_fold", { deterministic: true }, (text: unknown) => (typeof text === "string" ? matchKey(text) : null));
  folded.add(sql);
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Beneficiaries within the given communes, optionally of one commune and matching a name or code,
 * by name; a page of them and the total.
 */
export function searchPeople(
  sql: Database.Database,
  filter: { communes: CommuneCondition; communeId?: number; query?: string; limit: number; offset: number },
): { people: PersonListing[]; total: number } {
  ensureFold(sql);
  const where = [filter.communes.sql];
  const params: (string | number)[] = [...filter.communes.params];
  if (filter.communeId !== undefined) {
    where.push("b.communeId = ?");
    params.push(filter.communeId);
  }
  const query = matchKey(filter.query ?? "");
  if (query) {
    where.push(`(ansinh_fold(b.fullName) LIKE ? ESCAPE '\\' OR lower(b.code) LIKE ? ESCAPE '\\')`);
    params.push(likePattern(query), likePattern(query));
  }
  const condition = where.join(" AND ");
  const total = sql.prepare(`SELECT COUNT(*) FROM Beneficiary b WHERE ${condition}`).pluck().get(...params) as number;
  const people = sql
    .prepare(`SELECT ${LISTING} FROM Beneficiary b JOIN Commune c ON c.id = b.communeId WHERE ${condition} ORDER BY b.fullName, b.id LIMIT ? OFFSET ?`)
    .all(...params, filter.limit, filter.offset) as PersonListing[];
  return { people, total };
}

/** One beneficiary with guardians, payments (newest first) and the channels they use; null when unknown. */
export function findPerson(sql: Database.Database, id: number): PersonDetails | null {
  const person = sql
    .prepare(
      `SELECT ${LISTING}, b.sex, b.monthlyAmount, b.accountProvider, b.accountLast4, b.payPoint
       FROM Beneficiary b JOIN Commune c ON c.id = b.communeId WHERE b.id = ?`,
    )
    .get(id) as Omit<PersonDetails, "guardians" | "payments" | "channels"> | undefined;
  if (!person) return null;
  const guardians = sql
    .prepare(`SELECT g.fullName, l.relation, g.phone FROM GuardianLink l JOIN Guardian g ON g.id = l.guardianId WHERE l.beneficiaryId = ? ORDER BY l.id`)
    .all(id) as PersonDetails["guardians"];
  const payments = sql
    .prepare(
      `SELECT pp.period, p.amount, p.backPay, p.method, p.payDate, p.status, p.failureReason
       FROM Payment p JOIN PaymentPeriod pp ON pp.id = p.periodId WHERE p.beneficiaryId = ? ORDER BY pp.period DESC`,
    )
    .all(id) as PersonDetails["payments"];
  const channels = (
    sql
      .prepare(
        `SELECT DISTINCT i.channel, i.verification, i.remindersOn, i.unreachable FROM ChannelIdentity i
         LEFT JOIN GuardianLink l ON l.guardianId = i.guardianId
         WHERE i.beneficiaryId = ? OR l.beneficiaryId = ? ORDER BY i.channel`,
      )
      .all(id, id) as { channel: string; verification: string | null; remindersOn: number; unreachable: number }[]
  ).map((c) => ({ ...c, remindersOn: c.remindersOn === 1, unreachable: c.unreachable === 1 }));
  return { ...person, guardians, payments, channels };
}
