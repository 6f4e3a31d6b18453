/**
 * Who hears about a beneficiary: every channel identity verified as the beneficiary, or as a
 * guardian linked to them. One place, so reminders, result notices and broadcasts agree on it.
 * Written as a UNION of two indexed joins, not one join with OR, which SQLite can only answer by
 * scanning every identity for every row.
 */
/**
 * Whether identity `ci` should be written to: every chat and USSD identity; an SMS identity (one per
 * phone on record) when staff chose SMS for the person ("on"), or left it "auto" and the person has
 * no reachable Telegram or Zalo identity and has not asked for reminder calls, so nobody gets the
 * same message by chat and SMS, or by a call and SMS (an unanswered call still ends in an SMS).
 */
export const SMS_WANTED = `(ci.channel <> 'sms' OR ci.smsChoice = 'on' OR (ci.smsChoice = 'auto' AND NOT EXISTS (
    SELECT 1 FROM ChannelIdentity other WHERE (other.channel IN ('telegram', 'zalo') AND other.unreachable = FALSE OR other.channel = 'voice' AND other.prefersVoice = TRUE)
      AND (other.beneficiaryId = ci.beneficiaryId OR other.guardianId = ci.guardianId))))`;

function recipientsOf(from: string, key: string, beneficiaryColumn: string, condition: string, wanted: string): string {
  const identityCondition = `${wanted} AND ${SMS_WANTED} AND ${VOICE_ONLY_BY_CHOICE}`;
  return `(
    SELECT ${key}, ci.id AS identityId FROM ${from}
    JOIN ChannelIdentity ci ON ci.beneficiaryId = ${beneficiaryColumn}
    WHERE ${condition} AND ${identityCondition}
    UNION
    SELECT ${key}, ci.id FROM ${from}
    JOIN GuardianLink gl ON gl.beneficiaryId = ${beneficiaryColumn}
    JOIN ChannelIdentity ci ON ci.guardianId = gl.guardianId
    WHERE ${condition} AND ${identityCondition})`;
}

/**
 * Someone who once called the service has a voice identity, but is called back (reminders,
 * results) only when they or staff chose calls: ChannelIdentity.prefersVoice.
 */
const VOICE_ONLY_BY_CHOICE = "(ci.channel <> 'voice' OR ci.prefersVoice = TRUE)";

/**
 * Rows (paymentId, identityId) for the payments matching `paymentCondition` (over `p`) and the
 * identities matching `identityCondition` (over `ci`).
 */
export function recipientsOfPayments(paymentCondition: string, identityCondition: string): string {
  return recipientsOf("Payment p", "p.id AS paymentId", "p.beneficiaryId", paymentCondition, identityCondition);
}

/**
 * Rows (beneficiaryId, identityId) for the beneficiaries matching `beneficiaryCondition` (over `b`)
 * and the identities matching `identityCondition` (over `ci`). A guardian of several of them
 * appears once per beneficiary: select DISTINCT identityId to count or message people.
 */
export function recipientsOfBeneficiaries(beneficiaryCondition: string, identityCondition: string): string {
  return recipientsOf("Beneficiary b", "b.id AS beneficiaryId", "b.id", beneficiaryCondition, identityCondition);
}
