import { setLocaleEffect, setRemindersEffect } from "../../engine/effects/index.ts";
import type { Action } from "../../engine/types.ts";
import type { Locale } from "../../engine/session.ts";
import type { ActionDeps } from "./deps.ts";

/** Reminders are on unless this channel identity turned them off. */
export function remindersStatus({ people }: ActionDeps): Action {
  return async (_args, { conversation }) => {
    const identity = await people.identity(conversation.channel, conversation.userId);
    return { outcome: identity && !identity.remindersOn ? "off" : "on" };
  };
}

export function setReminders(): Action {
  return (args) => {
    // "call": on, and by phone call (asked for on a call).
    if (args.wanted === "call") return { outcome: "call", effects: [setRemindersEffect({ on: true, byCall: true })] };
    const on = args.wanted === "on";
    return { outcome: on ? "on" : "off", effects: [setRemindersEffect({ on })] };
  };
}

export function setLanguage(): Action {
  return (args) => {
    const locale: Locale = args.locale === "en" ? "en" : "vi";
    return { outcome: "ok", locale, effects: [setLocaleEffect({ locale })] };
  };
}
