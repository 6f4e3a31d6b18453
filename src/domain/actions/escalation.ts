import { escalationAskedAgainEffect, openEscalationEffect } from "../../engine/effects/index.ts";
import type { Action } from "../../engine/types.ts";
import type { PersonVars } from "../person.ts";
import type { ActionDeps } from "./deps.ts";

/**
 * Asks for a person ("human") or reports a scam ("scam"): one open escalation per channel user
 * and topic, carrying the conversation so far. A second scam report while one is open is added
 * to the record rather than dropped.
 */
export function openEscalation({ payments }: ActionDeps): Action {
  return async (args, { conversation, vars }) => {
    const topic = String(args.topic ?? "human");
    if (topic !== "scam" && await payments.hasOpenEscalation(conversation.channel, conversation.userId, topic)) {
      // Asked again (e.g. after going back to the bot while an operator held it): the operator is told,
      // and the person's words go to the operator again.
      return { outcome: "already_open", effects: [escalationAskedAgainEffect({ topic })] };
    }
    const person = vars.person as PersonVars | undefined;
    return {
      outcome: "opened",
      effects: [
        openEscalationEffect({
          topic,
          details: typeof args.details === "string" ? args.details : null,
          beneficiaryId: person?.beneficiaryId ?? null,
        }),
      ],
    };
  };
}
