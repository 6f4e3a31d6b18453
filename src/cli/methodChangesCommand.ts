import type { Command } from "commander";
import type { MethodChangeDecision } from "../domain/methodChanges/decideMethodChange.ts";
import { decideMethodChangeAndNotify } from "../domain/methodChanges/reviewMethodChanges.ts";
import { listMethodChanges, METHOD_CHANGE_STATUSES, type MethodChangeStatus } from "../domain/methodChanges/listMethodChanges.ts";
import { TIME_ZONE } from "../shared/dates.ts";
import { table, withDatabase } from "./withDatabase.ts";

const DATE = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", year: "numeric" });

function decide(decision: MethodChangeDecision, reference: string, options: { by: string; reason?: string; note?: string }): Promise<void> {
  return withDatabase(async (db) => {
    const result = await decideMethodChangeAndNotify(db.sql, { reference, decision, by: options.by, reason: options.reason ?? options.note ?? null });
    if (!result.ok) {
      process.stdout.write(`${result.message}\n`);
      process.exitCode = 1;
      return;
    }
    const { request } = result;
    process.stdout.write(`Request ${request.reference} ${request.status} by ${request.decidedBy}.\n`);
    if (request.superseded.length) {
      process.stdout.write(`It replaces the earlier approved request${request.superseded.length > 1 ? "s" : ""} ${request.superseded.join(", ")} (now cancelled).\n`);
    }
    if (request.status === "approved") process.stdout.write("It goes to the labour office with the next `ansinh export method-changes`.\n");
    const where = request.channel === "ussd" ? "by USSD, at their next dial" : `on ${request.channel}`;
    process.stdout.write(
      result.notified
        ? `The person who asked is told ${where}, in their language.\n`
        : `The person who asked cannot be told on ${request.channel} (no reachable account there): let them know another way.\n`,
    );
  });
}

/** Deciding payment-method change requests from the command line: the same path as the staff console. */
export function registerMethodChanges(program: Command): void {
  const command = program
    .command("method-changes")
    .description("list, approve and reject the payment-method change requests people made through the bot");
  command
    .command("list")
    .description("list requests (pending by default), oldest first; accounts and wallet phones are shown masked, never in full")
    .option("--status <status>", `one of ${METHOD_CHANGE_STATUSES.join(", ")}`, "pending")
    .option("--commune <name>", "only this commune's requests (with or without diacritics, e.g. \"Bắc Sơn\" or \"bac son\")")
    .action((options: { status: string; commune?: string }) => {
      if (!METHOD_CHANGE_STATUSES.includes(options.status as MethodChangeStatus)) {
        throw new Error(`--status must be one of ${METHOD_CHANGE_STATUSES.join(", ")} (got "${options.status}")`);
      }
      return withDatabase(async (db) => {
        const requests = await listMethodChanges(db.sql, { status: options.status as MethodChangeStatus, commune: options.commune });
        const where = options.commune ? ` in ${options.commune}` : "";
        process.stdout.write(`${requests.length} ${options.status} request${requests.length === 1 ? "" : "s"}${where}\n`);
        if (requests.length === 0) return;
        const decided = options.status !== "pending";
        const header = ["REFERENCE", "CODE", "NAME", "COMMUNE", "METHOD", "ACCOUNT", "CREATED", ...(decided ? ["DECIDED"] : [])];
        const rows = requests.map((r) => [
          r.reference,
          r.beneficiaryCode,
          r.fullName,
          r.commune,
          r.requestedMethod,
          r.details,
          DATE.format(r.createdAt),
          ...(decided ? [r.decidedAt ? `${DATE.format(r.decidedAt)} ${r.decidedBy ?? ""}${r.decisionReason ? `: ${r.decisionReason}` : ""}` : ""] : []),
        ]);
        process.stdout.write(table(header, rows) + "\n");
      });
    });
  command
    .command("approve <reference>")
    .description("approve a pending request: it is exported to the labour office with the next `export method-changes`; the person who asked is told on their channel")
    .requiredOption("--by <name>", "who approves (recorded in the request and the audit log)")
    .option("--note <text>", "a note kept with the decision")
    .action((reference: string, options: { by: string; note?: string }) => decide("approve", reference, options));
  command
    .command("reject <reference>")
    .description("reject a pending request, with the reason the person who asked is told on their channel")
    .requiredOption("--by <name>", "who rejects (recorded in the request and the audit log)")
    .requiredOption("--reason <text>", "why, in words the person understands")
    .action((reference: string, options: { by: string; reason: string }) => decide("reject", reference, options));
}
