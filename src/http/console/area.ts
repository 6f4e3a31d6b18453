import type { Router } from "express";
import type { ConsoleRole } from "../../domain/consoleUsers/consoleUsers.ts";
import type { ConsoleLocale, ConsoleTranslate } from "../../i18n/consoleTranslator.ts";
import type { Services } from "../../services.ts";
import type { Scope } from "./scope.ts";
import type { ConsoleSession } from "./session.ts";

/**
 * One part of the console (escalations, broadcasts, people…): its own router, mounted at
 * /console<path> behind login, the password-change check and `requireRole(...roles)`.
 * A new area is one file exporting a ConsoleArea and one line in areas/index.ts. `Uses` names the
 * services its router may touch (`ConsoleArea<"db" | "clock">`): what an area depends on is read
 * from its declaration, and a test can build it with those alone.
 */
export interface ConsoleArea<Uses extends keyof Services> {
  /** Where it is mounted under /console, e.g. "/escalations". */
  path: string;
  /** The console.json key of its name in the navigation, e.g. "nav.escalations". */
  navKey: string;
  /** Who may open it; everyone else gets a 403 page. */
  roles: ConsoleRole[];
  /** Whether the navigation links to it (default true). */
  inNav?: boolean;
  router(ctx: ConsoleContext<Uses>): Router;
}

/** An area of any needs: the console router gives each all the services, of which it sees its own. */
export type AnyConsoleArea = ConsoleArea<keyof Services>;

/** What an area's router is built with: the services it named. */
interface ConsoleContext<Uses extends keyof Services> {
  services: Pick<Services, Uses>;
}

/** What the console puts on res.locals for every request inside an area (and the signed-in pages). */
export interface ConsoleLocals {
  /** Who is signed in and what they may see. */
  scope: Scope;
  /** The page's language, and its sentences from locales/<lang>/console.json. */
  locale: ConsoleLocale;
  t: ConsoleTranslate;
  /** The session's synchronizer token: `csrfField(res)` puts it in a form; fetch sends it as x-csrf-token. */
  csrfToken: string;
  consoleSession: ConsoleSession;
  /** The areas this person may open, for the navigation. */
  nav: { path: string; label: string }[];
}

// Typed res.locals for console routes. Outside the console (and on the login page) most of these are
// not set: the console's middleware fills them before any area router runs. `consoleOf(res)` returns
// them typed as present.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // Declaration merging: Express's own Locals gains the console's fields.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Locals extends Partial<ConsoleLocals> {}
  }
}

/** The console's res.locals inside an area: `const { scope, t } = consoleOf(res)`. */
export function consoleOf(res: { locals: Partial<ConsoleLocals> }): ConsoleLocals {
  const { scope, locale, t, csrfToken, consoleSession, nav } = res.locals;
  if (!scope || !locale || !t || !csrfToken || !consoleSession || !nav) throw new Error("consoleOf: not inside a signed-in console route");
  return { scope, locale, t, csrfToken, consoleSession, nav };
}
