import type { ConversationService, Inbound, ScreenRenderer } from "../../domain/conversationService.ts";
import type { Reply } from "../../engine/types.ts";
import { smsTurns } from "./smsTurns.ts";

type Handle = ConversationService["handle"];

/**
 * The conversation as SMS needs it: one message may carry several answers ("TT <CCCD> <ngày
 * sinh>"), given to the same flows one after another while they ask for them, and only the last
 * screen is sent back. Each part has its own request key, so a resent message repeats nothing.
 */
export function smsConversation(conversations: Pick<ConversationService, "handle">): Pick<ConversationService, "handle"> {
  const handle = async <Output>(inbound: Inbound, renderer: ScreenRenderer<Output>): Promise<{ output: Output; reply: Reply; ended: boolean }> => {
    if (inbound.turn.kind !== "input") return conversations.handle(inbound, renderer);
    const turns = smsTurns(inbound.turn.text);
    const step = (text: string, part: number) =>
      conversations.handle({ ...inbound, turn: { kind: "input", text }, requestKey: inbound.requestKey && `${inbound.requestKey}#${part}` }, renderer);
    let result = await step(turns.first, 0);
    if (!turns.identify || result.reply.expects !== "text") return result;
    result = await step(turns.identify.citizenId, 1);
    if (result.reply.expects !== "text") return result;
    result = await step(turns.identify.dateOfBirth, 2);
    // Identified: the main menu. Ask again, now as a known person.
    return result.reply.expects === "choice" ? step(turns.first, 3) : result;
  };
  return { handle: handle as Handle };
}
