/** A refusal a person can act on (unknown commune, taken username…): a 4xx on the web, exit 1 on the command line. */
export class ConsoleUserError extends Error {
  constructor(
    readonly code: "bad_username" | "taken" | "bad_role" | "unknown_commune" | "communes_for_staff_only" | "staff_needs_commune" | "not_found" | "bad_password" | "bad_display_name",
    message: string,
  ) {
    super(message);
  }
}
