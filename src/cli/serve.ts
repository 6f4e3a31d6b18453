import type { Command } from "commander";
import { createServices } from "../services.ts";
import { createHttpServer } from "../http/createHttpServer.ts";
import { loadDemoDataIfEmpty } from "../demo/loadDemoData.ts";
import { describeDemoConsoleAccounts, enabledDemoAccounts } from "../demo/demoConsoleAccounts.ts";
import cron from "node-cron";
import { applyRetention } from "../domain/privacy/applyRetention.ts";
import { log } from "../shared/log.ts";
import { TIME_ZONE } from "../shared/dates.ts";
import { startWalCheckpointer } from "../db/walCheckpointer.ts";
import { closeHttpServer } from "../http/closeHttpServer.ts";

const SESSION_PURGE_MS = 10 * 60_000;
const INBOUND_RETRY_MS = 15_000;
/** At most this long (and half the shutdown time) for the outbox's messages in hand before their claims are handed back. */
const OUTBOX_STOP_GRACE_MS = 5_000;
/** After SHUTDOWN_TIMEOUT_SECONDS, how long handing back the outbox's claims may still take before the exit. */
const RELEASE_AT_DEADLINE_MS = 1_000;

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("apply migrations, load demo data into an empty database, and serve HTTP (POST /ussd, GET /healthz, GET /readyz); SIGTERM stops it gracefully")
    .option("-p, --port <port>", "port to listen on (default: PORT or 3000)")
    .option("--no-demo", "do not load demo data into an empty database")
    .action(async (options: { port?: string; demo: boolean }) => {
      const services = await createServices(options.port ? { config: { port: Number(options.port) } } : {});
      if (options.demo && services.config.loadDemoData) {
        const loaded = await loadDemoDataIfEmpty(services);
        if (loaded) log.info("loaded demo data (DEMO- codes; see README for numbers to try)", { beneficiaries: loaded.beneficiaries, payments: loaded.payments });
        if (loaded?.consoleAccounts) process.stdout.write(describeDemoConsoleAccounts(loaded.consoleAccounts, `http://localhost:${services.config.port}/console`));
      }
      const demoAccounts = await enabledDemoAccounts(services.db.sql);
      if (demoAccounts.length) log.warn("DEMO console accounts with published passwords are enabled: disable them before real use", { accounts: demoAccounts });
      const checkpointer = startWalCheckpointer(services.db);
      const server = createHttpServer(services).listen(services.config.port, () => {
        const address = server.address();
        const port = typeof address === "object" && address ? address.port : services.config.port;
        log.info("AnSinh Bot is serving", { port, ussd: `http://localhost:${port}/ussd`, database: services.db.file ?? "postgresql" });
      });
      for (const chat of services.chatChannels) await chat.start();
      // Reminders are planned now and then on a schedule (planning is idempotent: a reminder is
      // never queued twice, and pending ones follow a moved pay date); the outbox sends what is due.
      const plan = async () => {
        try {
          const result = await services.planReminders();
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
      await plan();
      const planner = cron.schedule(services.config.reminders.planCron, () => void plan(), { timezone: TIME_ZONE });
      // Personal data is kept only as long as needed (RETENTION_DAYS): old transcripts, inbound logs
      // and the words of sent messages go once a day, at 02:30 Vietnam time.
      const retention = cron.schedule(
        "30 2 * * *",
        () => void applyRetention(services.db.sql, { now: services.clock(), days: services.config.retentionDays })
          .then((removed) => log.info("retention applied", { ...removed }))
          .catch((error) => log.error("applying retention failed", { error })),
        { timezone: TIME_ZONE },
      );
      services.outbox.start(services.config.outbox.pollMs);
      // Updates whose handling failed (or was cut short by a crash) are handled again.
      const retry = setInterval(() => {
        for (const chat of services.chatChannels) void chat.retryPending().catch((error) => log.error("retrying updates failed", { error }));
      }, INBOUND_RETRY_MS);
      retry.unref();
      // Expired conversations are only dead weight in the hot table; the message log keeps the record.
      const purge = setInterval(() => void services.sessions.purgeExpired(services.clock()).catch((error) => log.error("purging sessions failed", { error })), SESSION_PURGE_MS);
      purge.unref();
      // SIGTERM (a deployment replacing this instance): report not ready, stop accepting, finish the
      // requests in flight, hand back the outbox's claims, stop the chat channels, close the
      // database, exit 0. Whatever is still going after SHUTDOWN_TIMEOUT_SECONDS is cut short (exit 1).
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        const timeoutMs = services.config.shutdownTimeoutSeconds * 1000;
        log.info("stopping", { signal, timeoutSeconds: services.config.shutdownTimeoutSeconds });
        setTimeout(() => {
          log.error("shutdown took longer than SHUTDOWN_TIMEOUT_SECONDS: exiting with work cut short", { timeoutSeconds: services.config.shutdownTimeoutSeconds });
          // The claims go back even now: one short statement, given a moment before the process ends.
          const released = services.outbox.releaseClaims().catch((error) => log.error("handing back outbox claims failed", { error }));
          void Promise.race([released, new Promise((resolve) => setTimeout(resolve, RELEASE_AT_DEADLINE_MS))]).finally(() => process.exit(1));
        }, timeoutMs);
        try {
          services.readiness.markStopping();
          void planner.stop();
          void retention.stop();
          clearInterval(retry);
          clearInterval(purge);
          await Promise.all([closeHttpServer(server), services.outbox.stop(Math.min(OUTBOX_STOP_GRACE_MS, timeoutMs / 2))]);
          await checkpointer.stop();
          await services.close(); // chat polling and sending, Redis, the database
          log.info("stopped", { signal });
          process.exit(0);
        } catch (error) {
          log.error("shutdown failed", { error });
          process.exit(1);
        }
      };
      process.on("SIGTERM", () => void stop("SIGTERM"));
      process.on("SIGINT", () => void stop("SIGINT"));
    });
}
