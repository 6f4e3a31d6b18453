import type { AnyConsoleArea } from "../area.ts";
import { adminAuditArea } from "./adminAudit.ts";
import { adminBreachesArea } from "./adminBreaches.ts";
import { adminUsersArea } from "./adminUsers.ts";
import { broadcastsArea } from "./broadcasts.ts";
import { escalationsArea } from "./escalations.ts";
import { dashboardArea } from "./dashboard.ts";
import { methodChangesArea } from "./methodChanges.ts";
import { peopleArea } from "./people.ts";
import { privacyArea } from "./privacyRequests.ts";

/**
 * The console's areas, in navigation order. A new area is a file exporting a ConsoleArea and its
 * line here (replacing its "coming soon" placeholder). One line each, a comment between, so
 * areas added at the same time do not touch the same lines.
 */
export const consoleAreas: AnyConsoleArea[] = [
  // Escalations: operators answer people who asked for a person.
  escalationsArea,
  // Broadcasts: commune staff send notices to their communes.
  broadcastsArea,
  // Payment-method change requests: commune staff verify them.
  methodChangesArea,
  // Personal data (Law 91/2025/QH15): people's requests to see, correct or delete their data.
  privacyArea,
  // Dashboard: figures for a period and commune.
  dashboardArea,
  // People: the beneficiaries of the person's communes.
  peopleArea,
  // Accounts (admin).
  adminUsersArea,
  // Audit log (admin).
  adminAuditArea,
  // Personal-data breach register (admin): the 72 hours to report, the people affected.
  adminBreachesArea,
];
