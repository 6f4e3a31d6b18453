import type { Reply } from "../../engine/types.ts";

/** The navigation a chat shows under a menu: the same "0" and "00" as USSD. */
function navigationLine(reply: Reply): string | null {
  if (reply.end) return null;
  const parts = [...(reply.canGoBack ? [`0. ${reply.nav.back}`] : []), `00. ${reply.nav.home}`];
  return parts.join(" · ");
}

/** A reply as plain chat text: paragraphs, then (when the channel has no buttons) numbered choices. */
export function replyAsText(reply: Reply, options: { numberedChoices: boolean; navigation: boolean }): string {
  const blocks = [reply.texts.join("\n")];
  if (options.numberedChoices && reply.choices.length) blocks.push(reply.choices.map((c) => `${c.number}. ${c.label}`).join("\n"));
  const nav = options.navigation ? navigationLine(reply) : null;
  if (nav) blocks.push(nav);
  return blocks.filter(Boolean).join("\n\n");
}
