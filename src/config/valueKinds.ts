import cron from "node-cron";
import { z } from "zod";
import { isPostgresUrl } from "../db/databaseUrl.ts";

/**
 * The kinds of value a variable holds: how its text is parsed (a zod schema) and what a good value
 * looks like, said once for the error ("USSD_SCREEN_LIMIT must be a whole number from 60 to 182").
 */
export interface ValueKind<T> {
  schema: z.ZodType<T>;
  expected: string;
}

export function wholeNumber(min: number, max: number): ValueKind<number> {
  return {
    schema: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().min(min).max(max)),
    expected: `a whole number from ${min} to ${max}`,
  };
}

export function oneOf<const Values extends readonly [string, ...string[]]>(...values: Values): ValueKind<Values[number]> {
  return { schema: z.enum(values), expected: `one of ${values.join(", ")}` };
}

export const text: ValueKind<string> = { schema: z.string(), expected: "text" };

const TIME = "([01]\\d|2[0-3]):[0-5]\\d";

export const timeOfDay: ValueKind<string> = { schema: z.string().regex(new RegExp(`^${TIME}$`)), expected: "a time of day as HH:mm" };

export const timeSpan: ValueKind<string> = {
  schema: z.string().regex(new RegExp(`^${TIME}-${TIME}$`)),
  expected: "a span of local time as HH:mm-HH:mm, e.g. 21:00-07:00",
};

/** node-cron's own check, so what is accepted is what the service can schedule. */
export const cronExpression: ValueKind<string> = {
  schema: z.string().refine((value) => cron.validate(value)),
  expected: "a cron expression (minute hour day month weekday), e.g. */15 * * * *",
};

/** Without trailing slashes: paths are appended to it. */
export const httpUrl: ValueKind<string> = {
  schema: z
    .url({ protocol: /^https?$/ })
    .transform((url) => url.replace(/\/+$/, "")),
  expected: "an http(s) URL",
};

export const redisUrl: ValueKind<string> = { schema: z.string().regex(/^rediss?:\/\/\S+$/), expected: "a redis:// or rediss:// URL" };

export const databaseUrl: ValueKind<string> = {
  schema: z.string().refine((url) => /^file:./.test(url) || isPostgresUrl(url)),
  expected: "a file: URL (SQLite) or a postgresql:// URL",
};

/** A path segment the SMS provider calls back with: long enough not to be guessed, safe in a URL. */
export const smsCallbackSecret: ValueKind<string> = {
  schema: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/),
  expected: "16 to 256 characters of A-Z a-z 0-9 _ -",
};

/** A calendar day, yyyy-mm-dd, that exists (not 2027-02-30). */
function isCalendarDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

/** Days separated by commas (spaces allowed), each yyyy-mm-dd; sorted, without repeats. */
export const dayList: ValueKind<string[]> = {
  schema: z
    .string()
    .transform((value) => value.split(",").map((day) => day.trim()).filter(Boolean))
    .refine((days) => days.every(isCalendarDay))
    .transform((days) => [...new Set(days)].sort()),
  expected: "days as yyyy-mm-dd separated by commas, e.g. 2027-02-05,2027-02-08",
};
