/** The conversation state the engine reads and returns: plain JSON the host stores per (channel, user). */
export type Locale = "vi" | "en";

export interface NodeRef {
  flow: string;
  node: string;
}

export interface SessionState {
  /** Format version, so stored sessions can be upgraded when the shape changes. */
  v: 1;
  flow: string;
  node: string;
  vars: Record<string, unknown>;
  /** Waiting nodes the person came through, most recent last: where "back" goes. */
  history: NodeRef[];
  locale: Locale;
  ended: boolean;
  /** Set while the person is being asked whether to continue a dropped conversation. */
  offeringResume?: boolean;
  /**
   * What the person asked for before a screen that takes only its own answer stopped them (keys
   * dialled with the code, "TT" as a first SMS, held back by the personal-data notice): answered
   * from the main menu once they reach it, so agreeing to the notice does not make them ask again.
   */
  deferredInputs?: string[];
}

export function newSession(locale: Locale, entry: NodeRef): SessionState {
  return { v: 1, flow: entry.flow, node: entry.node, vars: {}, history: [], locale, ended: false };
}
