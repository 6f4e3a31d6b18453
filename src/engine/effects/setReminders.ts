/** The person turned reminders on or off for this chat; off also drops the broadcasts still queued for it. */
export interface SetRemindersEffect {
  type: "set_reminders";
  on: boolean;
}

export function setRemindersEffect(fields: Omit<SetRemindersEffect, "type">): SetRemindersEffect {
  return { type: "set_reminders", ...fields };
}
