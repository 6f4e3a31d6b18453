import { todayInVietnam } from "../../shared/dates.ts";

/**
 * Deadlines of Decree 356/2025/ND-CP count working days (Monday to Friday, in Vietnam). Public
 * holidays are not known to the software: a deadline over Tết reads a few days early, never late.
 * Returns the date (yyyy-mm-dd) `days` working days after the day `from` falls on in Vietnam.
 */
export function addWorkingDays(from: Date, days: number): string {
  const date = new Date(`${todayInVietnam(from)}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return date.toISOString().slice(0, 10);
}

/** Acknowledge within 2 working days; answer within 10 (the default; the law allows longer for some kinds). */
export const ACKNOWLEDGE_WORKING_DAYS = 2;
export const ANSWER_WORKING_DAYS = 10;
