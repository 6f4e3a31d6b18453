/**
 * Who hears about a beneficiary's payments: every channel identity verified as the beneficiary,
 * or as a guardian linked to them, that is still reachable. One SQL fragment, so reminders,
 * result notices and (later) broadcasts agree on it. Expects the payment as `p` and yields
 * `ci` (ChannelIdentity) rows.
 */
export const RECIPIENTS_OF_PAYMENT = `
  JOIN ChannelIdentity ci ON ci.unreachable = 0 AND (
    ci.beneficiaryId = p.beneficiaryId
    OR ci.guardianId IN (SELECT guardianId FROM GuardianLink WHERE beneficiaryId = p.beneficiaryId)
  )`;
