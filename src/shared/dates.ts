/** Calendar dates are "yyyy-mm-dd" strings in Asia/Ho_Chi_Minh; people read and type dd/mm/yyyy. */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";

/** Parses dd/mm/yyyy (also d/m/yyyy, with - or .) or yyyy-mm-dd into yyyy-mm-dd; null when not a real date. */
export function parseCalendarDate(raw: string): string | null {
  // A phone keypad ends an answer with # ("05031950#").
  const text = raw.trim().replace(/#$/, "");
  let year: number, month: number, day: number;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) {
    [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text))) {
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(text))) {
    // ddmmyyyy: what people type on a phone keypad, where "/" is hard to reach
    [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    return null;
  }
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** yyyy-mm-dd → dd/mm/yyyy */
export function formatCalendarDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-");
  return `${d}/${m}/${y}`;
}

/** Parses a period "yyyy-mm" (also mm/yyyy); null when invalid. */
export function parsePeriod(raw: string): string | null {
  const text = raw.trim();
  let m = /^(\d{4})-(\d{1,2})$/.exec(text);
  let year: number, month: number;
  if (m) [year, month] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d{1,2})\/(\d{4})$/.exec(text))) [month, year] = [Number(m[1]), Number(m[2])];
  else return null;
  if (month < 1 || month > 12 || year < 2000 || year > 2100) return null;
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** yyyy-mm → mm/yyyy */
export function formatPeriod(period: string): string {
  const [y, m] = period.split("-");
  return `${m}/${y}`;
}

/** The period after "yyyy-mm". */
export function nextPeriod(period: string): string {
  const [y, m] = period.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

// Building an Intl.DateTimeFormat costs tens of microseconds; every status screen asks for today.
const VIETNAM_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's calendar date in Vietnam. */
export function todayInVietnam(now: Date = new Date()): string {
  return VIETNAM_DAY.format(now);
}

const VIETNAM_DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** dd/mm/yyyy HH:mm in Vietnam. */
export function formatVietnamDateTime(at: Date): string {
  return VIETNAM_DATE_TIME.format(at).replace(",", "");
}

/** The instant a calendar day (yyyy-mm-dd) begins in Vietnam (UTC+7 all year, no daylight saving). */
export function vietnamDayStart(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00+07:00`);
}
