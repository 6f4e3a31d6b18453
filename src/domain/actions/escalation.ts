import type { Action } from "../../engine/types.ts";
import type { PersonVars } from "../person.ts";
import type { ActionDeps } from "./deps.ts";

/** Asks for a person: one open escalation per channel user, carrying the conversation so far. */
export function openEscalation({ payments }: ActionDeps): Action {
  return (args, { conversation, vars }) => {
    if (payments.hasOpenEscalation(conversation.channel, conversation.userId)) return { outcome: "already_open" };
    const person = vars.person as PersonVars | undefined;
    return {
      outcome: "opened",
      effects: [
        {
          type: "open_escalation",
          topic: String(args.topic ?? "human"),
          details: typeof args.details === "string" ? args.details : null,
          beneficiaryId: person?.beneficiaryId ?? null,
        },
      ],
    };
  };
}
