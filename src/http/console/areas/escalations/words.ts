import type { Sql } from "../../../../db/sql/sql.ts";
import type { ConsoleTranslate } from "../../../../i18n/consoleTranslator.ts";
import type { EscalationSummary } from "../../../../domain/escalations/escalationQueues.ts";
import { SYSTEM_EVENTS, type ChannelDelivery } from "../../../../domain/escalations/escalationMessages.ts";
import { maskPhoneForStaff } from "../../../../shared/phone.ts";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration as people say it: "under a minute", "12 minutes", "2 hours 5 minutes", "3 days 4 hours". */
export function formatWaiting(seconds: number, t: ConsoleTranslate): string {
  if (seconds < MINUTE) return t("escalations.duration.under_minute");
  if (seconds < HOUR) return t("escalations.duration.minutes", { count: Math.floor(seconds / MINUTE) });
  const [big, small, bigKey, smallKey] =
    seconds < DAY
      ? [Math.floor(seconds / HOUR), Math.floor((seconds % HOUR) / MINUTE), "hours", "minutes"]
      : [Math.floor(seconds / DAY), Math.floor((seconds % DAY) / HOUR), "days", "hours"];
  const first = t(`escalations.duration.${bigKey}`, { count: big });
  return small > 0 ? `${first} ${t(`escalations.duration.${smallKey}`, { count: small })}` : first;
}

/** Who the person is, for a list: their name, or how they reached the bot (a USSD phone masked; never a chat id). */
export function personLabel(escalation: EscalationSummary, t: ConsoleTranslate): string {
  if (escalation.personName) return escalation.personName;
  if (escalation.channel === "ussd" && escalation.externalId.startsWith("+")) return `${t("escalations.unidentified")} · ${maskPhoneForStaff(escalation.externalId)}`;
  return t("escalations.unidentified");
}

/** An operator as colleagues know them: "Display name (username)", from their username. */
export type OperatorName = (username: string | null) => string;

/**
 * Names operators by their account; a username with no account is shown as it is. The accounts
 * (a few dozen rows) are read once per page, before it is drawn, so drawing need not wait.
 */
export async function operatorNames(sql: Sql): Promise<OperatorName> {
  const accounts = await sql.all<{ username: string; displayName: string }>(`SELECT username, displayName FROM ConsoleUser`);
  const displayNames = new Map(accounts.map((a) => [a.username, a.displayName]));
  return (username) => {
    if (username === null) return "";
    const displayName = displayNames.get(username.trim().toLowerCase());
    return displayName && displayName !== username ? `${displayName} (${username})` : username;
  };
}

/** Where the escalation stands, in a few words: open, claimed by X, with the bot, resolved. */
export function statusLabel(escalation: EscalationSummary, t: ConsoleTranslate, name: OperatorName): string {
  const who = { name: name(escalation.assignedTo) };
  if (escalation.status === "open") return t("escalations.status.open");
  if (escalation.status === "resolved") return t("escalations.status.resolved", who);
  if (escalation.handedBackAt) return t("escalations.status.with_bot", who);
  return t("escalations.status.claimed", who);
}

/** Where an operator's reply is; on USSD "pending" means it waits for the next dial. */
export function deliveryLabel(delivery: ChannelDelivery, channel: string, t: ConsoleTranslate): string {
  if (delivery === "pending" && channel === "ussd") return t("escalations.delivery.pending_ussd");
  return t(`escalations.delivery.${delivery}`);
}

/** A system message is a code ("claimed", "person_returned_to_bot:home"): worded in the page's language. */
export function systemText(code: string, author: string, t: ConsoleTranslate): string {
  const [event, word] = code.split(":", 2);
  if (!(Object.values(SYSTEM_EVENTS) as string[]).includes(event)) return code;
  return t(`escalations.system.${event}`, { name: author, word: word ?? "" });
}
