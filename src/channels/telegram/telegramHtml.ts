/**
 * Escapes text for Telegram's HTML parse mode, which knows only these three (and &quot; inside
 * attributes, which the bot never writes). HTML rather than MarkdownV2 because Markdown would
 * need eighteen characters escaped and a name like "Lê_Văn *Ba*" is ordinary data here.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The text a person sees, from what was sent in HTML (the bot sends no tags, only escapes). */
export function unescapeHtml(html: string): string {
  return html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}
