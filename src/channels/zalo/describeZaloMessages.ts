/**
 * Zalo messages as the terminal simulator prints them: one bubble per message, so a reader sees
 * where a long answer was split and how long each part is against Zalo's 2000-character limit.
 */
export function describeZaloMessages(messages: string[]): string {
  return messages
    .map((text, index) => {
      const header = `┌─ Zalo${messages.length > 1 ? ` ${index + 1}/${messages.length}` : ""} · ${text.length} chars`;
      const body = text.split("\n").map((line) => `│ ${line}`);
      return [header, ...body, "└─"].join("\n");
    })
    .join("\n");
}
