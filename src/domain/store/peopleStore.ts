import type Database from "better-sqlite3";

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

/** Who a channel user is: identities, beneficiaries and guardians, read on prepared statements. */
export class PeopleStore {
  private readonly identityStmt;
  private readonly byPhone;
  private readonly guardiansByPhone;
  private readonly ofGuardian;
  private readonly byId;
  private readonly byCitizenIdHash;
  private readonly communeStmt;
  private readonly receiversStmt;

  constructor(sql: Database.Database) {
    this.identityStmt = sql.prepare<[string, string], IdentityRow>(
      `SELECT id, beneficiaryId, guardianId, verification, locale, remindersOn, failedAttempts, lockedUntil
       FROM ChannelIdentity WHERE channel = ? AND externalId = ?`,
    );
    this.byPhone = sql.prepare<[string], BeneficiarySummary>(
      `SELECT ${BENEFICIARY_COLUMNS} FROM Beneficiary b WHERE b.phone = ? AND b.status = 'active' ORDER BY b.id`,
    );
    this.guardiansByPhone = sql.prepare<[string], { id: number }>(`SELECT id FROM Guardian WHERE phone = ? ORDER BY id`);
    this.ofGuardian = sql.prepare<[number], BeneficiarySummary>(
      `SELECT ${BENEFICIARY_COLUMNS} FROM GuardianLink l JOIN Beneficiary b ON b.id = l.beneficiaryId
       WHERE l.guardianId = ? AND b.status = 'active' ORDER BY b.fullName, b.id`,
    );
    this.byId = sql.prepare<[number], BeneficiarySummary>(`SELECT ${BENEFICIARY_COLUMNS} FROM Beneficiary b WHERE b.id = ?`);
    this.byCitizenIdHash = sql.prepare<[string], BeneficiarySummary>(
      `SELECT ${BENEFICIARY_COLUMNS} FROM Beneficiary b WHERE b.citizenIdHash = ? AND b.status = 'active'`,
    );
    this.communeStmt = sql.prepare<[number], CommuneInfo>(
      `SELECT c.name, c.officeAddress, c.officeHours, c.officePhone, c.payPointSchedule
       FROM Beneficiary b JOIN Commune c ON c.id = b.communeId WHERE b.id = ?`,
    );
    this.receiversStmt = sql.prepare<[number], ReceiverSummary>(
      `SELECT g.fullName AS name, l.relation, g.phone FROM GuardianLink l JOIN Guardian g ON g.id = l.guardianId
       WHERE l.beneficiaryId = ? ORDER BY l.id`,
    );
  }

  communeOf(beneficiaryId: number): CommuneInfo | undefined {
    return this.communeStmt.get(beneficiaryId);
  }

  /** Guardians and authorised receivers registered for a beneficiary. */
  receiversOf(beneficiaryId: number): ReceiverSummary[] {
    return this.receiversStmt.all(beneficiaryId);
  }

  identity(channel: string, externalId: string): IdentityRow | undefined {
    return this.identityStmt.get(channel, externalId);
  }

  beneficiariesWithPhone(e164: string): BeneficiarySummary[] {
    return this.byPhone.all(e164);
  }

  guardianIdsWithPhone(e164: string): number[] {
    return this.guardiansByPhone.all(e164).map((g) => g.id);
  }

  beneficiariesOfGuardian(guardianId: number): BeneficiarySummary[] {
    return this.ofGuardian.all(guardianId);
  }

  beneficiary(id: number): BeneficiarySummary | undefined {
    return this.byId.get(id);
  }

  beneficiaryByCitizenIdHash(hash: string): BeneficiarySummary | undefined {
    return this.byCitizenIdHash.get(hash);
  }
}
