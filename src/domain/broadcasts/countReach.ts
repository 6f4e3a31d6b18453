import type { Sql } from "../../db/sql/sql.ts";
import { recipientsOfBeneficiaries } from "../outbox/recipients.ts";
import type { StaffScope } from "../staffScope.ts";
import { audienceCondition, REACHABLE_IDENTITY, resolveAudience, type Audience, type AudienceResult } from "./audience.ts";

export const BROADCAST_CHANNELS = ["telegram", "zalo", "ussd", "sms"] as const;
type PerChannel = Record<(typeof BROADCAST_CHANNELS)[number], number>;

export interface Reach {
  audience: Audience;
  /** Beneficiaries the audience names (reached or not). */
  beneficiaries: number;
  /** People a broadcast would reach on each channel: a person (identity) once, however many of the audience they are guardian of. */
  people: PerChannel & { total: number };
  /** People of the audience left out because they said stop (TẮT NHẮC)… */
  stopped: PerChannel;
  /** …or because the platform refuses them (they blocked the bot). */
  unreachable: PerChannel;
  /** Of `people.sms`, those who chose English: they get the English text when there is one. */
  smsInEnglish: number;
}

const zero = (): PerChannel => ({ telegram: 0, zalo: 0, ussd: 0, sms: 0 });

/** The recipients of an audience: one row per identity (id, channel, externalId, locale, beneficiaryId), reachable ones only. */
export function audienceRecipientsSql(audience: Audience): { sql: string; params: Record<string, string> } {
  const { condition, params } = audienceCondition(audience);
  return {
    sql: `SELECT ci.id, ci.channel, ci.externalId, ci.locale, ci.beneficiaryId
          FROM (SELECT DISTINCT identityId FROM ${recipientsOfBeneficiaries(condition, REACHABLE_IDENTITY)} u) r
          JOIN ChannelIdentity ci ON ci.id = r.identityId ORDER BY ci.id`,
    params,
  };
}

/** How many people an audience reaches on each channel, and how many it leaves out and why. Refuses an audience outside the scope. */
export async function countReach(sql: Sql, audience: Partial<Audience>, scope: StaffScope): Promise<{ ok: true; reach: Reach } | Exclude<AudienceResult, { ok: true }>> {
  const resolved = await resolveAudience(sql, audience, scope);
  if (!resolved.ok) return resolved;
  const { condition, params } = audienceCondition(resolved.audience);
  const rows = await sql.all<{ channel: string; reach: number; stopped: number; unreachable: number; reachInEnglish: number }>(
    `SELECT ci.channel,
              SUM(CASE WHEN ${REACHABLE_IDENTITY} THEN 1 ELSE 0 END) AS reach,
              SUM(CASE WHEN ci.remindersOn = FALSE THEN 1 ELSE 0 END) AS stopped,
              SUM(CASE WHEN ci.remindersOn = TRUE AND ci.unreachable = TRUE THEN 1 ELSE 0 END) AS unreachable,
              SUM(CASE WHEN ${REACHABLE_IDENTITY} AND ci.locale = 'en' THEN 1 ELSE 0 END) AS reachInEnglish
       FROM (SELECT DISTINCT identityId FROM ${recipientsOfBeneficiaries(condition, "1 = 1")} u) r
       JOIN ChannelIdentity ci ON ci.id = r.identityId GROUP BY ci.channel`,
    params,
  );
  const beneficiaries = await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM Beneficiary b WHERE ${condition}`, params);
  const value: Reach = {
    audience: resolved.audience,
    beneficiaries: beneficiaries?.n ?? 0,
    people: { ...zero(), total: 0 },
    stopped: zero(),
    unreachable: zero(),
    smsInEnglish: 0,
  };
  for (const row of rows) {
    if (!(BROADCAST_CHANNELS as readonly string[]).includes(row.channel)) continue;
    const channel = row.channel as keyof PerChannel;
    value.people[channel] = row.reach;
    value.people.total += row.reach;
    value.stopped[channel] = row.stopped;
    value.unreachable[channel] = row.unreachable;
    if (channel === "sms") value.smsInEnglish = row.reachInEnglish;
  }
  return { ok: true, reach: value };
}
