import type { Command } from "commander";
import { createServices } from "../services.ts";
import { createHttpServer } from "../http/createHttpServer.ts";
import { loadDemoDataIfEmpty } from "../demo/loadDemoData.ts";
import { describeDemoConsoleAccounts, enabledDemoAccounts } from "../demo/demoConsoleAccounts.ts";
import cron from "node-cron";
import { log } from "../shared/log.ts";
import { TIME_ZONE } from "../shared/dates.ts";
import { startWalCheckpointer } from "../db/walCheckpointer.ts";

const SESSION_PURGE_MS = 10 * 60_000;
const INBOUND_RETRY_MS = 15_000;

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("apply migrations, load demo data into an empty database, and serve HTTP (POST /ussd, GET /healthz)")
    .option("-p, --port <port>", "port to listen on (default: PORT or 3000)")
    .option("--no-demo", "do not load demo data into an empty database")
    .action(async (options: { port?: string; demo: boolean }) => {
      const services = createServices(options.port ? { config: { port: Number(options.port) } } : {});
      if (options.demo && services.config.loadDemoData) {
        const loaded = await loadDemoDataIfEmpty(services);
        if (loaded) log.info("loaded demo data (DEMO- codes; see README for numbers to try)", { beneficiaries: loaded.beneficiaries, payments: loaded.payments });
        if (loaded?.consoleAccounts) process.stdout.write(describeDemoConsoleAccounts(loaded.consoleAccounts, `http://localhost:${services.config.port}/console`));
      }
      const demoAccounts = enabledDemoAccounts(services.db.sql);
      if (demoAccounts.length) log.warn("DEMO console accounts with published passwords are enabled: disable them before real use", { accounts: demoAccounts });
      const checkpointer = startWalCheckpointer(services.db);
      const server = createHttpServer(services).listen(services.config.port, () => {
        const address = server.address();
        const port = typeof address === "object" && address ? address.port : services.config.port;
        log.info("AnSinh Bot is serving", { port, ussd: `http://localhost:${port}/ussd`, database: services.db.file });
      });
      for (const chat of services.chatChannels) await chat.start();
      // Reminders are planned now and then on a schedule (planning is idempotent: a reminder is
      // never queued twice, and pending ones follow a moved pay date); the outbox sends what is due.
      const plan = () => {
        try {
          const result = services.planReminders();
          if (result.planned || result.cancelled) log.info("reminders planned", result);
        } catch (error) {
          log.error("planning reminders failed", { error });
        }
        // Broadcasts whose queuing a crash cut short are finished (queuing repeats no message).
        services.broadcasts
          .resumeQueueing()
          .then((queued) => queued && log.info("broadcast queuing resumed", { queued }))
          .catch((error) => log.error("resuming broadcasts failed", { error }));
      };
      plan();
      const planner = cron.schedule(services.config.reminders.planCron, plan, { timezone: TIME_ZONE });
      services.outbox.start(services.config.outbox.pollMs);
      // Updates whose handling failed (or was cut short by a crash) are handled again.
      const retry = setInterval(() => {
        for (const chat of services.chatChannels) void chat.inbound.retryPending().catch((error) => log.error("retrying updates failed", { error }));
      }, INBOUND_RETRY_MS);
      retry.unref();
      // Expired conversations are only dead weight in the hot table; the message log keeps the record.
      const purge = setInterval(() => services.sessions.purgeExpired(services.clock()), SESSION_PURGE_MS);
      purge.unref();
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info("stopping", { signal });
        void planner.stop();
        // Finish the requests in flight, then close the database.
        server.close(() => void checkpointer.stop().then(() => services.close()).then(() => process.exit(0)));
        // A console page's event stream never finishes by itself: cut what is still open after a
        // moment, so the database is closed cleanly (the page reconnects when the service is back).
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
        setTimeout(() => process.exit(0), 10_000).unref();
      };
      process.on("SIGTERM", () => stop("SIGTERM"));
      process.on("SIGINT", () => stop("SIGINT"));
    });
}
