import { databaseError, DatabaseUnavailable } from "../db/databaseUnavailable.ts";
import { log } from "../shared/log.ts";

/**
 * One log line for a request the service could not answer (it is then answered 503, the same on
 * USSD, the webhooks and the console). The database being unavailable (locked, disk full, server
 * gone) is a warning with its reason and code; anything else is an error. Only the error's name
 * and message are logged (no stack, no request body), and the logger masks long numbers.
 */
export function logRequestFailure(what: string, error: unknown, fields: Record<string, unknown> = {}): void {
  const failure = databaseError(error);
  if (failure instanceof DatabaseUnavailable) log.warn(`${what}: database unavailable`, { ...fields, reason: failure.reason, code: failure.code });
  else log.error(`${what} failed`, { ...fields, error: failure });
}
