import type { Command } from "commander";
import type { Sql } from "../db/sql/sql.ts";
import { withServices } from "./withServices.ts";

/** Counts of the outbox by status, with ambiguous sends (possibly doubled by a crash) shown apart. */
async function outboxStatus(sql: Sql) {
  const byStatus = await sql.all<{ channel: string; status: string; n: number }>(
    `SELECT channel, status, COUNT(*) AS n FROM OutboxMessage GROUP BY channel, status ORDER BY channel, status`,
  );
  const ambiguous = (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM OutboxMessage WHERE ambiguous = TRUE`))?.n ?? 0;
  return { byStatus, ambiguous };
}

export function registerOutbox(program: Command): void {
  const outbox = program.command("outbox").description("messages the bot starts itself: reminders, payment results, notices");
  outbox
    .command("status")
    .description("how many messages are pending, sent, delivered (USSD), failed, and how many may have gone out twice after a crash")
    .action(() =>
      withServices(async (services) => {
        const { byStatus, ambiguous } = await outboxStatus(services.db.sql);
        for (const row of byStatus) process.stdout.write(`${row.channel.padEnd(10)} ${row.status.padEnd(10)} ${row.n}\n`);
        process.stdout.write(`ambiguous (sent again after a crash, may have arrived twice): ${ambiguous}\n`);
      }),
    );
  outbox
    .command("plan")
    .description("plan payment-day reminders now (the service also does this on REMINDER_PLAN_CRON)")
    .action(() =>
      withServices(async (services) => {
        const result = await services.planReminders();
        process.stdout.write(`planned ${result.planned}, cancelled ${result.cancelled}\n`);
      }),
    );
  outbox
    .command("send")
    .description("send every message due now through the configured channels, then stop (the service does this continuously)")
    .action(() =>
      withServices(async (services) => {
        const counts = await services.outbox.drain();
        process.stdout.write(`sent ${counts.sent}, failed ${counts.failed}, retry later ${counts.retried}, no longer applying ${counts.skipped}\n`);
      }),
    );
}
