import type { RequestHandler } from "express";
import type { Sql } from "../../db/sql/sql.ts";
import type { Config } from "../../config.ts";
import type { ConversationService } from "../../domain/conversationService.ts";
import { log } from "../../shared/log.ts";
import type { ChannelSender, SharedLimits } from "../outbound/channelSender.ts";
import type { ChatAdapter } from "./chatAdapter.ts";
import { ChatInbound } from "./chatInbound.ts";
import type { InboundLog } from "./inboundLog.ts";

/** How long stop() waits for answers already being handled before the sender stops (and the database closes). */
const STOP_GRACE_MS = 5_000;

/** What a chat channel needs from the service around it. */
export interface ChatChannelDeps {
  config: Config;
  /** Runs a turn; a channel may wrap it (SMS reads several answers from one message). */
  conversations: Pick<ConversationService, "handle">;
  inboundLog: InboundLog;
  sql: Sql;
  clock: () => Date;
  /** Where the send rates are kept when several instances share them (REDIS_URL); absent: in this process. */
  sharedLimits?: SharedLimits | null;
}

/**
 * Hands one platform update to the runtime. Resolves once the update is recorded (the webhook then
 * answers 200, the poller moves past it); the answer follows in the background. Rejects when it
 * could not be recorded: the webhook answers 5xx and the poller asks again, so the platform resends.
 */
export type ReceiveUpdate<Update> = (update: Update) => Promise<void>;

/** A loop that asks the platform for updates (long polling), for a service without a public address. */
export interface UpdatePoller {
  start(): void;
  /** Ends the pending request at once and resolves when the loop has handed over its last update. */
  stop(): Promise<void>;
}

/**
 * What a chat channel plugs into the runtime: the platform-specific parts only. Receiving,
 * tracking the answers in flight and the order of stopping belong to the runtime, the same for
 * every channel (see README, "Adding a channel").
 */
export interface ChatChannelPlugin<Update, Output> {
  /** Normalise an update, render and deliver an answer, send what the bot starts itself. */
  readonly adapter: ChatAdapter<Update, Output>;
  /** Every outgoing call of the channel passes through it (rate limits, retries). Stopped last. */
  readonly sender: ChannelSender;
  /** POST /webhooks/<channel>: checks the secret and the body, then hands the update to `receive`. */
  webhook(receive: ReceiveUpdate<Update>): RequestHandler;
  /**
   * Where the webhook is mounted (an Express route path), when not /webhooks/<channel>: a provider
   * whose address is already published (SMS: /sms/africastalking/<secret>) keeps it.
   */
  readonly webhookPath?: string;
  /**
   * Start-up when the service has a public address (PUBLIC_URL): the channel's checks (its webhook
   * secret) and telling the platform to post to `url`. Throws to refuse to start. `signal` aborts at
   * stop, for registrations that keep retrying in the background. A channel whose provider is
   * pointed at the URL by hand (in its dashboard) only checks here.
   */
  registerWebhook(url: string, signal: AbortSignal): Promise<void>;
  /** Without a public address: long polling. Absent for platforms that can only post (SMS, voice). */
  poller?(receive: ReceiveUpdate<Update>): UpdatePoller;
}

/** A configured chat channel, as the service runs it. */
export interface ChatChannelRuntime {
  readonly channel: string;
  // The platform's update and output types differ per channel; the service holds them side by side.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly adapter: ChatAdapter<any, any>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly inbound: ChatInbound<any, any>;
  /** Where createHttpApp mounts `webhook` (POST): /webhooks/<channel> unless the plug-in names its own. */
  readonly webhookPath: string;
  /** POST /webhooks/<channel>: checks the secret and the body, records the update, answers 200 at once; 503 once stopping. */
  readonly webhook: RequestHandler;
  /** Registers the webhook when PUBLIC_URL is set; otherwise starts long polling. */
  start(): Promise<void>;
  /** Handles again the updates a failure or a crash left unanswered (the service calls it every 15 s); stop() waits for it. */
  retryPending(olderThanMs?: number): Promise<number>;
  /**
   * Stops taking updates, waits (at most 5 s) for the answers in flight, then stops the sender.
   * What is cut short stays recorded for the next start. Calling it again returns the same promise.
   */
  stop(): Promise<void>;
}

/** Where the platform posts a channel's updates, on the service's own address. */
function chatWebhookPath(channel: string): string {
  return `/webhooks/${channel}`;
}

/**
 * Runs a chat channel: webhook mode when PUBLIC_URL is set, long polling otherwise (so a laptop
 * with only a token works). Updates from either are recorded at once and answered in the background
 * (ChatInbound); the answers being handled are tracked so that stop() can let them finish.
 */
export function createChatChannelRuntime<Update, Output>(plugin: ChatChannelPlugin<Update, Output>, deps: ChatChannelDeps): ChatChannelRuntime {
  const { adapter, sender } = plugin;
  const channel = adapter.channel;
  const inbound = new ChatInbound(adapter, deps.conversations, deps.inboundLog, deps.sql, deps.clock);
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  let poller: UpdatePoller | null = null;
  let stopped: Promise<void> | null = null;

  /** Tracked from the moment it starts, so a stop that begins while an update is being recorded still waits for its answer. */
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const receive: ReceiveUpdate<Update> = (update) => {
    const recorded = inbound.receive(update);
    track(
      recorded.then(
        // ChatInbound records failures itself; this keeps a bug from becoming an unhandled rejection.
        ({ handled }) => handled.catch((error) => log.error(`${channel} update handling failed`, { channel, error })),
        () => undefined, // not recorded: the caller answers for it (5xx, or polling again)
      ),
    );
    return recorded.then(() => undefined);
  };

  const webhook = plugin.webhook(receive);
  const webhookPath = plugin.webhookPath ?? chatWebhookPath(channel);

  return {
    channel,
    adapter,
    inbound,
    webhookPath,

    webhook(req, res, next) {
      if (stopped) {
        // Not recorded: the platform sends it again, to this instance's successor.
        log.warn("chat webhook refused: the channel is stopping", { channel });
        res.status(503).type("text/plain").send("Stopping: send it again later");
        return;
      }
      return webhook(req, res, next);
    },

    async start() {
      if (deps.config.publicUrl) {
        await plugin.registerWebhook(`${deps.config.publicUrl}${webhookPath}`, stopping.signal);
      } else if (plugin.poller) {
        poller = plugin.poller(receive);
        poller.start();
        log.info(`${channel} long polling started (no PUBLIC_URL)`, { channel });
      } else {
        log.warn(`${channel} cannot poll and PUBLIC_URL is not set: updates arrive only if the platform is pointed at ${webhookPath}`, { channel });
      }
    },

    async retryPending(olderThanMs) {
      if (stopped) return 0;
      const retried = inbound.retryPending(olderThanMs);
      track(retried.then(() => undefined, () => undefined));
      return retried;
    },

    stop() {
      // Once: the service's close() and a test may both stop it, and a Bottleneck stops only once.
      stopped ??= (async () => {
        // 1. No more updates: a webhook registration retrying in the background, the poll loop
        //    (which hands over the update it holds first), the webhook (503 from now on).
        stopping.abort();
        await poller?.stop();
        // 2. Answers being handled get a moment to finish; what is cut short stays recorded for the next start.
        await settledWithin(Promise.all(inFlight), STOP_GRACE_MS);
        // 3. Only then the sender: stopping it first would drop the answers still queued.
        await sender.stop();
      })();
      return stopped;
    },
  };
}

/** Waits for `work`, but no longer than `ms`. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
