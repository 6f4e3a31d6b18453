/** The person asked for a person again while their escalation on this topic is still open: the operator is told. */
export interface EscalationAskedAgainEffect {
  type: "escalation_asked_again";
  topic: string;
}

export function escalationAskedAgainEffect(fields: Omit<EscalationAskedAgainEffect, "type">): EscalationAskedAgainEffect {
  return { type: "escalation_asked_again", ...fields };
}
