import type { AnyConsoleArea } from "../area.ts";
import { adminAuditArea } from "./adminAudit.ts";
import { adminUsersArea } from "./adminUsers.ts";
import { broadcastsArea } from "./broadcasts.ts";
import { escalationsArea } from "./escalations.ts";
import { dashboardArea } from "./dashboard.ts";
import { methodChangesArea } from "./methodChanges.ts";
import { peopleArea } from "./people.ts";

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
  // Dashboard: figures for a period and commune.
  dashboardArea,
  // People: the beneficiaries of the person's communes.
  peopleArea,
  // Accounts (admin).
  adminUsersArea,
  // Audit log (admin).
  adminAuditArea,
];
