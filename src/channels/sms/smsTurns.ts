/** A status request by SMS: "TT", "tien", "status" (the flows' global word is "tt"). */
const STATUS_WORDS = /^(tt|tien|tiền|status)$/i;
const STATUS_WITH_ID = /^(\S+) (\d{9,12}) (\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})$/;

export interface SmsTurns {
  /** The first turn: the message as typed, or "tt" for a status request. */
  first: string;
  /** "TT 020190003333 04/04/1990" from an unknown phone: the ID and date of birth to answer identification with. */
  identify: { citizenId: string; dateOfBirth: string } | null;
}

/**
 * An SMS as the turns a person would type one by one (8171-style): "TT <CCCD> <ngày sinh>" is the
 * status word, then, if the flow asks for them, the ID and the date, then the status word again
 * once identified. Anything else is one turn, as typed.
 */
export function smsTurns(text: string): SmsTurns {
  const trimmed = text.trim().replace(/\s+/g, " ");
  const withId = STATUS_WITH_ID.exec(trimmed);
  if (withId && STATUS_WORDS.test(withId[1])) return { first: "tt", identify: { citizenId: withId[2], dateOfBirth: withId[3] } };
  return { first: STATUS_WORDS.test(trimmed) ? "tt" : trimmed, identify: null };
}
