import type { Sql } from "../../db/sql/sql.ts";

export interface IdentityRow {
  id: number;
  beneficiaryId: number | null;
  guardianId: number | null;
  verification: string | null;
  locale: string;
  remindersOn: number;
  failedAttempts: number;
  lockedUntil: string | null;
}

export interface BeneficiarySummary {
  id: number;
  code: string;
  fullName: string;
  communeId: number;
  paymentMethod: string | null;
  accountProvider: string | null;
  accountLast4: string | null;
  payPoint: string | null;
  dateOfBirth: string;
}

export interface CommuneInfo {
  name: string;
  officeAddress: string | null;
  officeHours: string | null;
  officePhone: string | null;
  payPointSchedule: string | null;
}

export interface ReceiverSummary {
  name: string;
  relation: string | null;
  phone: string | null;
}

const BENEFICIARY_COLUMNS = `b.id, b.code, b.fullName, b.communeId, b.paymentMethod, b.accountProvider, b.accountLast4, b.payPoint, b.dateOfBirth`;

const IDENTITY = `SELECT id, beneficiaryId, guardianId, verification, locale, remindersOn, failedAttempts, lockedUntil
  FROM ChannelIdentity WHERE channel = ? AND externalId = ?`;
const BENEFICIARIES_BY_PHONE = `SELECT ${BENEFICIARY_COLUMNS} FROM Beneficiary b WHERE b.phone = ? AND b.status = 'active' ORDER BY b.id`;
const GUARDIANS_BY_PHONE = `SELECT id FROM Guardian WHERE phone = ? ORDER BY id`;
const BENEFICIARIES_OF_GUARDIAN = `SELECT ${BENEFICIARY_COLUMNS} FROM GuardianLink l JOIN Beneficiary b ON b.id = l.beneficiaryId
  WHERE l.guardianId = ? AND b.status = 'active' ORDER BY b.fullName, b.id`;
const BENEFICIARY_BY_ID = `SELECT ${BENEFICIARY_COLUMNS} FROM Beneficiary b WHERE b.id = ?`;
const BENEFICIARY_BY_CITIZEN_ID_HASH = `SELECT ${BENEFICIARY_COLUMNS} FROM Beneficiary b WHERE b.citizenIdHash = ? AND b.status = 'active'`;
const COMMUNE_OF_BENEFICIARY = `SELECT c.name, c.officeAddress, c.officeHours, c.officePhone, c.payPointSchedule
  FROM Beneficiary b JOIN Commune c ON c.id = b.communeId WHERE b.id = ?`;
const RECEIVERS = `SELECT g.fullName AS name, l.relation, g.phone FROM GuardianLink l JOIN Guardian g ON g.id = l.guardianId
  WHERE l.beneficiaryId = ? ORDER BY l.id`;

/** Who a channel user is: identities, beneficiaries and guardians. */
export class PeopleStore {
  constructor(private readonly sql: Sql) {}

  communeOf(beneficiaryId: number): Promise<CommuneInfo | undefined> {
    return this.sql.get<CommuneInfo>(COMMUNE_OF_BENEFICIARY, [beneficiaryId]);
  }

  /** Guardians and authorised receivers registered for a beneficiary. */
  receiversOf(beneficiaryId: number): Promise<ReceiverSummary[]> {
    return this.sql.all<ReceiverSummary>(RECEIVERS, [beneficiaryId]);
  }

  identity(channel: string, externalId: string): Promise<IdentityRow | undefined> {
    return this.sql.get<IdentityRow>(IDENTITY, [channel, externalId]);
  }

  beneficiariesWithPhone(e164: string): Promise<BeneficiarySummary[]> {
    return this.sql.all<BeneficiarySummary>(BENEFICIARIES_BY_PHONE, [e164]);
  }

  async guardianIdsWithPhone(e164: string): Promise<number[]> {
    return (await this.sql.all<{ id: number }>(GUARDIANS_BY_PHONE, [e164])).map((g) => g.id);
  }

  beneficiariesOfGuardian(guardianId: number): Promise<BeneficiarySummary[]> {
    return this.sql.all<BeneficiarySummary>(BENEFICIARIES_OF_GUARDIAN, [guardianId]);
  }

  beneficiary(id: number): Promise<BeneficiarySummary | undefined> {
    return this.sql.get<BeneficiarySummary>(BENEFICIARY_BY_ID, [id]);
  }

  beneficiaryByCitizenIdHash(hash: string): Promise<BeneficiarySummary | undefined> {
    return this.sql.get<BeneficiarySummary>(BENEFICIARY_BY_CITIZEN_ID_HASH, [hash]);
  }
}
