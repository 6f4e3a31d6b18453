/**
 * What an inline button carries back. Telegram allows 64 bytes and a Vietnamese label takes two or
 * three bytes a letter, so a button carries a short id only; its label stays on the button.
 */
const CHOICE_PREFIX = "c:";
export const BACK_DATA = "n:0";
export const HOME_DATA = "n:00";

/** The typed inputs the navigation buttons stand for: the same "0" and "00" as on USSD. */
const NAVIGATION: Record<string, string> = { [BACK_DATA]: "0", [HOME_DATA]: "00" };

export type PressedButton = { kind: "choice"; number: string } | { kind: "navigation"; input: string };

export function choiceData(number: string): string {
  return `${CHOICE_PREFIX}${number}`;
}

/** The button a callback came from, or null for data this bot never put on a button. */
export function parseCallbackData(data: string | undefined): PressedButton | null {
  if (!data) return null;
  if (data in NAVIGATION) return { kind: "navigation", input: NAVIGATION[data] };
  const number = data.startsWith(CHOICE_PREFIX) ? data.slice(CHOICE_PREFIX.length) : "";
  return /^\d{1,3}$/.test(number) ? { kind: "choice", number } : null;
}
