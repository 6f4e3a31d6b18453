/** The person asked for a person (topic "human") or reported a scam ("scam"): an escalation for the operators, with the conversation so far. */
export interface OpenEscalationEffect {
  type: "open_escalation";
  topic: string;
  /** What the person wrote about it, if the flow asked. */
  details: string | null;
  /** The beneficiary the conversation was about, when identified. */
  beneficiaryId: number | null;
}

export function openEscalationEffect(fields: Omit<OpenEscalationEffect, "type">): OpenEscalationEffect {
  return { type: "open_escalation", ...fields };
}
