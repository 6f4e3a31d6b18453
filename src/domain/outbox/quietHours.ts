import { TIME_ZONE } from "../../shared/dates.ts";

/** "21:00-07:00": a span of local time (Asia/Ho_Chi_Minh) when nothing is sent; it may cross midnight. */
export function parseQuietHours(span: string): { from: number; to: number } {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(span);
  if (!m) throw new Error(`quiet hours must look like 21:00-07:00 (got "${span}")`);
  return { from: Number(m[1]) * 60 + Number(m[2]), to: Number(m[3]) * 60 + Number(m[4]) };
}

// Built once: the sender asks before every message it claims, and a formatter costs tens of µs to build.
const VIETNAM_CLOCK = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

function minutesIntoDay(now: Date): number {
  const parts = VIETNAM_CLOCK.formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}

/** Whether `now` falls in the quiet hours, in Vietnam's local time. */
export function isQuiet(now: Date, quiet: { from: number; to: number }): boolean {
  const minute = minutesIntoDay(now);
  return quiet.from <= quiet.to ? minute >= quiet.from && minute < quiet.to : minute >= quiet.from || minute < quiet.to;
}
