import { prepare, type Param } from "../../db/query/preparedQuery.ts";
import { qualified } from "../../db/query/qualified.ts";
import type { Row } from "../../db/query/tables.ts";
import type { Sql } from "../../db/sql/sql.ts";
import { BENEFICIARY_METHOD_COLUMNS } from "./columnSets.ts";

const IDENTITY_COLUMNS = ["id", "beneficiaryId", "guardianId", "verification", "locale", "remindersOn", "failedAttempts", "lockedUntil"] as const;
export type IdentityRow = Pick<Row<"ChannelIdentity">, (typeof IDENTITY_COLUMNS)[number]>;

/** A beneficiary as the conversation names them and tells how they are paid. */
const BENEFICIARY_SUMMARY_COLUMNS = ["id", "code", "fullName", "communeId", "dateOfBirth", ...BENEFICIARY_METHOD_COLUMNS] as const;
export type BeneficiarySummary = Pick<Row<"Beneficiary">, (typeof BENEFICIARY_SUMMARY_COLUMNS)[number]>;

const COMMUNE_INFO_COLUMNS = ["name", "officeAddress", "officeHours", "officePhone", "payPointSchedule"] as const;
export type CommuneInfo = Pick<Row<"Commune">, (typeof COMMUNE_INFO_COLUMNS)[number]>;

export type ReceiverSummary = { name: string } & Pick<Row<"GuardianLink">, "relation"> & Pick<Row<"Guardian">, "phone">;

// Compiled once per dialect: identification reads these on a USSD hop.
const IDENTITY = prepare((db, param: Param<{ channel: string; externalId: string }>) =>
  db.selectFrom("ChannelIdentity").select(IDENTITY_COLUMNS).where("channel", "=", param("channel")).where("externalId", "=", param("externalId")),
);
const BENEFICIARIES_BY_PHONE = prepare((db, param: Param<{ phone: string }>) =>
  db
    .selectFrom("Beneficiary as b")
    .select(qualified("b", BENEFICIARY_SUMMARY_COLUMNS))
    .where("b.phone", "=", param("phone"))
    .where("b.status", "=", "active")
    .orderBy("b.id"),
);
const GUARDIANS_BY_PHONE = prepare((db, param: Param<{ phone: string }>) => db.selectFrom("Guardian").select("id").where("phone", "=", param("phone")).orderBy("id"));
const BENEFICIARIES_OF_GUARDIAN = prepare((db, param: Param<{ id: number }>) =>
  db
    .selectFrom("GuardianLink as l")
    .innerJoin("Beneficiary as b", "b.id", "l.beneficiaryId")
    .select(qualified("b", BENEFICIARY_SUMMARY_COLUMNS))
    .where("l.guardianId", "=", param("id"))
    .where("b.status", "=", "active")
    .orderBy("b.fullName")
    .orderBy("b.id"),
);
const BENEFICIARY_BY_ID = prepare((db, param: Param<{ id: number }>) => db.selectFrom("Beneficiary as b").select(qualified("b", BENEFICIARY_SUMMARY_COLUMNS)).where("b.id", "=", param("id")));
const BENEFICIARY_BY_CITIZEN_ID_HASH = prepare((db, param: Param<{ hash: string }>) =>
  db
    .selectFrom("Beneficiary as b")
    .select(qualified("b", BENEFICIARY_SUMMARY_COLUMNS))
    .where("b.citizenIdHash", "=", param("hash"))
    .where("b.status", "=", "active"),
);
const COMMUNE_OF_BENEFICIARY = prepare((db, param: Param<{ id: number }>) =>
  db.selectFrom("Beneficiary as b").innerJoin("Commune as c", "c.id", "b.communeId").select(qualified("c", COMMUNE_INFO_COLUMNS)).where("b.id", "=", param("id")),
);
const RECEIVERS = prepare((db, param: Param<{ id: number }>) =>
  db
    .selectFrom("GuardianLink as l")
    .innerJoin("Guardian as g", "g.id", "l.guardianId")
    .select(["g.fullName as name", "l.relation", "g.phone"])
    .where("l.beneficiaryId", "=", param("id"))
    .orderBy("l.id"),
);
// The first contact on a channel asks this before anything personal is shown (privacy.yaml).
const LAST_CONSENT = `SELECT decision, noticeVersion FROM Consent WHERE channel = ? AND externalId = ? ORDER BY id DESC LIMIT 1`;

/** Who a channel user is: identities, beneficiaries and guardians. */
export class PeopleStore {
  constructor(private readonly sql: Sql) {}

  communeOf(beneficiaryId: number): Promise<CommuneInfo | undefined> {
    return COMMUNE_OF_BENEFICIARY.get(this.sql, { id: beneficiaryId });
  }

  /** Guardians and authorised receivers registered for a beneficiary. */
  receiversOf(beneficiaryId: number): Promise<ReceiverSummary[]> {
    return RECEIVERS.all(this.sql, { id: beneficiaryId });
  }

  /** The last answer this channel identity gave to the personal-data notice (privacy.yaml), if any. */
  lastConsent(channel: string, externalId: string): Promise<{ decision: string; noticeVersion: string } | undefined> {
    return this.sql.get(LAST_CONSENT, [channel, externalId]);
  }

  identity(channel: string, externalId: string): Promise<IdentityRow | undefined> {
    return IDENTITY.get(this.sql, { channel, externalId });
  }

  beneficiariesWithPhone(e164: string): Promise<BeneficiarySummary[]> {
    return BENEFICIARIES_BY_PHONE.all(this.sql, { phone: e164 });
  }

  async guardianIdsWithPhone(e164: string): Promise<number[]> {
    return (await GUARDIANS_BY_PHONE.all(this.sql, { phone: e164 })).map((g) => g.id);
  }

  beneficiariesOfGuardian(guardianId: number): Promise<BeneficiarySummary[]> {
    return BENEFICIARIES_OF_GUARDIAN.all(this.sql, { id: guardianId });
  }

  beneficiary(id: number): Promise<BeneficiarySummary | undefined> {
    return BENEFICIARY_BY_ID.get(this.sql, { id });
  }

  beneficiaryByCitizenIdHash(hash: string): Promise<BeneficiarySummary | undefined> {
    return BENEFICIARY_BY_CITIZEN_ID_HASH.get(this.sql, { hash });
  }
}
