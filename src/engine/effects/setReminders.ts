/** The person turned reminders on or off for this chat; off also drops the broadcasts still queued for it. */
export interface SetRemindersEffect {
  type: "set_reminders";
  on: boolean;
  /** On a phone call: reminders come as calls from now on (ChannelIdentity.prefersVoice). */
  byCall?: boolean;
}

export function setRemindersEffect(fields: Omit<SetRemindersEffect, "type">): SetRemindersEffect {
  return { type: "set_reminders", ...fields };
}
