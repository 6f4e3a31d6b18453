import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { addWorkingDays, isWorkingDay, type WorkingCalendar } from "../../src/domain/privacy/workingDays.ts";

// Deadlines of personal-data requests count working days in Vietnam (Decree 356/2025/ND-CP):
// weekends, the public holidays the law fixes (date-holidays' calendar of Vietnam), and the days
// off the government announces each year (PUBLIC_HOLIDAYS) are skipped; EXTRA_WORKING_DAYS count.
const LAW_ONLY: WorkingCalendar = { daysOff: [], workingDays: [] };
/** A request made at 10:00 in Vietnam on `day`. */
const at = (day: string) => new Date(`${day}T10:00:00+07:00`);

describe("working days", () => {
  it("Tết 2027 (Saturday 6 February): a request on the Friday before waits for the Tết days to pass", () => {
    // The eve and the days after it (5 to 9 February) are public holidays: Friday, Monday and Tuesday are not worked.
    for (const day of ["2027-02-05", "2027-02-08", "2027-02-09"]) expect(isWorkingDay(day, LAW_ONLY), day).toBe(false);
    expect(isWorkingDay("2027-02-10", LAW_ONLY)).toBe(true);
    expect(addWorkingDays(at("2027-02-05"), 2, LAW_ONLY)).toBe("2027-02-11");
    expect(addWorkingDays(at("2027-02-05"), 10, LAW_ONLY)).toBe("2027-02-23");
    // The government gives one more day off, and makes a Saturday a working day in exchange.
    const announced: WorkingCalendar = { daysOff: ["2027-02-10"], workingDays: ["2027-02-20"] };
    expect(addWorkingDays(at("2027-02-05"), 2, announced)).toBe("2027-02-12");
    expect(addWorkingDays(at("2027-02-05"), 10, announced)).toBe("2027-02-23");
    expect(addWorkingDays(at("2027-02-05"), 10, { daysOff: ["2027-02-10"], workingDays: [] })).toBe("2027-02-24");
  });

  it("30 April and 1 May 2027 (Friday and Saturday), and the Monday in lieu when it is announced", () => {
    expect(addWorkingDays(at("2027-04-29"), 2, LAW_ONLY)).toBe("2027-05-04");
    expect(addWorkingDays(at("2027-04-29"), 2, { daysOff: ["2027-05-03"], workingDays: [] })).toBe("2027-05-05");
  });

  it("National Day, 2 September 2027 (a Thursday), and the day next to it when it is announced", () => {
    expect(isWorkingDay("2027-09-02", LAW_ONLY)).toBe(false);
    expect(addWorkingDays(at("2027-09-01"), 2, LAW_ONLY)).toBe("2027-09-06");
    expect(addWorkingDays(at("2027-09-01"), 2, { daysOff: ["2027-09-03"], workingDays: [] })).toBe("2027-09-07");
  });

  it("counts from the request's day in Vietnam, not in UTC; observances are working days", () => {
    // 20:00 UTC on Thursday 9 December 2027 is already Friday 10 December in Vietnam.
    expect(addWorkingDays(new Date("2027-12-09T20:00:00Z"), 2, LAW_ONLY)).toBe("2027-12-14");
    expect(addWorkingDays(new Date("2027-12-09T16:00:00Z"), 2, LAW_ONLY)).toBe("2027-12-13");
    expect(isWorkingDay("2027-05-19", LAW_ONLY)).toBe(true); // a Wednesday; President Hồ Chí Minh's birthday is an observance
    expect(isWorkingDay("2027-12-11", LAW_ONLY)).toBe(false); // Saturday
  });
});

describe("PUBLIC_HOLIDAYS and EXTRA_WORKING_DAYS", () => {
  it("are read as lists of days, sorted, repeats dropped; none by default", () => {
    expect(loadConfig({}).calendar).toEqual({ daysOff: [], workingDays: [] });
    expect(loadConfig({ PUBLIC_HOLIDAYS: "2027-02-08, 2027-02-05,2027-02-08", EXTRA_WORKING_DAYS: "2027-02-20" }).calendar).toEqual({
      daysOff: ["2027-02-05", "2027-02-08"],
      workingDays: ["2027-02-20"],
    });
  });

  it("refuse a day that is not one, saying what is expected", () => {
    for (const bad of ["2027-02-30", "05/02/2027", "2027-2-5", "tet"]) {
      expect(() => loadConfig({ PUBLIC_HOLIDAYS: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ EXTRA_WORKING_DAYS: "2027-02-20;2027-02-21" })).toThrow(
      'EXTRA_WORKING_DAYS must be days as yyyy-mm-dd separated by commas, e.g. 2027-02-05,2027-02-08 (got "2027-02-20;2027-02-21")',
    );
  });
});
