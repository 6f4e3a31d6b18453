/**
 * Who hears about a beneficiary's payments: every channel identity verified as the beneficiary,
 * or as a guardian linked to them. One place, so reminders, result notices and (later) broadcasts
 * agree on it. Written as a UNION of two indexed joins, not one join with OR, which SQLite can
 * only answer by scanning every identity for every payment.
 *
 * Yields rows (paymentId, identityId) for the payments matching `paymentCondition` (over `p`)
 * and the identities matching `identityCondition` (over `ci`).
 */
export function recipientsOfPayments(paymentCondition: string, identityCondition: string): string {
  return `(
    SELECT p.id AS paymentId, ci.id AS identityId FROM Payment p
    JOIN ChannelIdentity ci ON ci.beneficiaryId = p.beneficiaryId
    WHERE ${paymentCondition} AND ${identityCondition}
    UNION
    SELECT p.id, ci.id FROM Payment p
    JOIN GuardianLink gl ON gl.beneficiaryId = p.beneficiaryId
    JOIN ChannelIdentity ci ON ci.guardianId = gl.guardianId
    WHERE ${paymentCondition} AND ${identityCondition})`;
}
