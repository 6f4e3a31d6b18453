import Holidays from "date-holidays";
import { todayInVietnam } from "../../shared/dates.ts";

/**
 * What the law's calendar does not know, from configuration: the days off around Tết, the day
 * next to National Day and the days in lieu that the government announces each year
 * (PUBLIC_HOLIDAYS), and the weekend days it makes working days in exchange (EXTRA_WORKING_DAYS).
 * Days are yyyy-mm-dd.
 */
export interface WorkingCalendar {
  daysOff: readonly string[];
  workingDays: readonly string[];
}

const DAY_MS = 86_400_000;
const vietnam = new Holidays("VN");
const holidaysByYear = new Map<number, ReadonlySet<string>>();

/**
 * The public holidays the Labour Code fixes for a year (date-holidays' "public" days of Vietnam:
 * New Year, Tết by the lunar calendar, Hùng Kings, 30/4, 1/5, 2/9), as yyyy-mm-dd in Vietnam.
 * Observances (Teachers' Day, Mid-Autumn…) are working days and are left out. Computed once a year.
 */
function lawHolidays(year: number): ReadonlySet<string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    const found = new Set<string>();
    for (const holiday of vietnam.getHolidays(year)) {
      if (holiday.type !== "public") continue;
      // A holiday of several days (the Tết days) is one entry from its start to its end.
      for (let t = holiday.start.getTime(); t < holiday.end.getTime(); t += DAY_MS) found.add(todayInVietnam(new Date(t)));
    }
    days = found;
    holidaysByYear.set(year, days);
  }
  return days;
}

/** Monday to Friday, unless a public holiday or a configured day off; a configured working day always is one. */
export function isWorkingDay(day: string, calendar: WorkingCalendar): boolean {
  if (calendar.workingDays.includes(day)) return true;
  if (calendar.daysOff.includes(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !lawHolidays(Number(day.slice(0, 4))).has(day);
}

/**
 * Deadlines of Decree 356/2025/ND-CP count working days in Vietnam. Returns the date (yyyy-mm-dd)
 * `days` working days after the day `from` falls on in Vietnam: that day itself does not count.
 */
export function addWorkingDays(from: Date, days: number, calendar: WorkingCalendar): string {
  const date = new Date(`${todayInVietnam(from)}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (isWorkingDay(date.toISOString().slice(0, 10), calendar)) left -= 1;
  }
  return date.toISOString().slice(0, 10);
}

/** Acknowledge within 2 working days; answer within 10 (the default; the law allows longer for some kinds). */
export const ACKNOWLEDGE_WORKING_DAYS = 2;
export const ANSWER_WORKING_DAYS = 10;
