import { loadConfig, type Config } from "./config.ts";
import { openDatabase, type AppDatabase } from "./db/database.ts";
import { createActions } from "./domain/actions/index.ts";
import { ConversationService } from "./domain/conversationService.ts";
import { EffectWriter } from "./domain/effectWriter.ts";
import { EscalationDesk } from "./domain/escalations/escalationDesk.ts";
import { EscalationEvents } from "./domain/escalations/escalationEvents.ts";
import { OperatorOwnership } from "./domain/escalations/operatorOwnership.ts";
import { IdentificationGuard } from "./domain/store/identificationGuard.ts";
import { PaymentStore } from "./domain/store/paymentStore.ts";
import { PeopleStore } from "./domain/store/peopleStore.ts";
import { SessionStore } from "./domain/store/sessionStore.ts";
import { createValidators } from "./domain/validators.ts";
import { NoticeBoard } from "./domain/outbox/noticeBoard.ts";
import { OutboxSender, type Notify } from "./domain/outbox/outboxSender.ts";
import { OutboxText } from "./domain/outbox/outboxText.ts";
import { planReminders } from "./domain/outbox/planReminders.ts";
import { createBroadcasts, type Broadcasts } from "./domain/broadcasts/index.ts";
import { parseQuietHours } from "./domain/outbox/quietHours.ts";
import { UssdChannel } from "./channels/ussd/ussdChannel.ts";
import { createVoiceChannel } from "./channels/voice/createVoiceChannel.ts";
import { VOICE_CHANNEL, type VoiceChannel } from "./channels/voice/voiceChannel.ts";
import { createVoiceOutbound } from "./channels/voice/createVoiceOutbound.ts";
import type { VoiceOutbound } from "./channels/voice/voiceOutbound.ts";
import type { ChatChannelRuntime } from "./channels/chat/chatChannelRuntime.ts";
import { InboundLog } from "./channels/chat/inboundLog.ts";
import { createTelegramChannel } from "./channels/telegram/createTelegramChannel.ts";
import { createZaloChannel } from "./channels/zalo/createZaloChannel.ts";
import { noticeRenderers } from "./channels/noticeRenderers.ts";
import { Engine } from "./engine/engine.ts";
import { loadFlows } from "./engine/loadFlows.ts";
import { createTranslator, NAMESPACE } from "./i18n/translator.ts";
import { refuseUnregistered } from "./channels/sms/refuseUnregistered.ts";
import { carriedBy, smsTemplates } from "./domain/outbox/smsTemplates.ts";
import { secretFor } from "./db/secretFor.ts";
import { createReadiness, type Readiness } from "./http/readiness.ts";
import { openRedis } from "./shared/redisClient.ts";
import { FLOWS_DIR, LOCALES_DIR } from "./shared/projectPaths.ts";
import { ChannelSender } from "./channels/outbound/channelSender.ts";
import { createSmsProvider } from "./channels/sms/createSmsProvider.ts";
import { smsNotify } from "./channels/sms/smsNotify.ts";
import type { SmsProvider } from "./channels/sms/smsProvider.ts";
import { createSmsChannel } from "./channels/sms/createSmsChannel.ts";
import { syncSmsIdentities } from "./domain/outbox/syncSmsIdentities.ts";

/** Everything the service is made of, wired once. Tests build the same thing on their own database. */
export interface Services {
  config: Config;
  db: AppDatabase;
  engine: Engine;
  conversations: ConversationService;
  sessions: SessionStore;
  ussd: UssdChannel;
  /** Phone calls (IVR) through Twilio or Stringee, on the same conversations as USSD. */
  voice: VoiceChannel;
  /** Reminder calls (outbox channel "voice"); null unless an outbound provider is configured. */
  voiceOutbound: VoiceOutbound | null;
  /** Telegram and Zalo, those whose token is configured, and SMS when its provider is. */
  chatChannels: ChatChannelRuntime[];
  /** The operator inbox: queues, detail, claim/reply/note/resolve/hand back, and its events (`escalations.events`). */
  escalations: EscalationDesk;
  /** The SMS provider (SMS_PROVIDER) and the rate-limited sender in front of it; null when SMS is off. Its conversations run in `chatChannels`. */
  sms: { provider: SmsProvider; sender: ChannelSender } | null;
  /** Sends reminders, payment results, notices and operators' replies through the chat channels and SMS. */
  outbox: OutboxSender;
  /** Plans payment-day reminders (idempotent): run by node-cron in the service. */
  planReminders(now?: Date): Promise<{ planned: number; cancelled: number }>;
  /** Notices staff send to the people of their communes (src/domain/broadcasts). */
  broadcasts: Broadcasts;
  /** GET /readyz: the database (and Redis, when configured) answer, and the service is not stopping. */
  readiness: Readiness;
  secret: Buffer;
  clock: () => Date;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config?: Partial<Config>;
  clock?: () => Date;
  flowsDir?: string;
  localesDir?: string;
}

/** The conversation engine on the project's flows and sentences, with the domain's actions. */
function buildEngine(
  deps: Parameters<typeof createActions>[0],
  secret: Buffer,
  config: Config,
  flowsDir: string,
  { translate, locales }: Pick<ReturnType<typeof createTranslator>, "translate" | "locales">,
): Engine {
  return new Engine({
    flows: loadFlows(flowsDir),
    actions: createActions(deps),
    validators: createValidators(secret),
    translate,
    locales,
    defaultLocale: config.defaultLocale,
  });
}

export async function createServices(options: ServiceOptions = {}): Promise<Services> {
  const config = { ...loadConfig(), ...options.config };
  const clock = options.clock ?? (() => new Date());
  const db = await openDatabase(config.databaseUrl, config);
  const secret = secretFor(db, config.secret);
  const people = new PeopleStore(db.sql);
  const payments = new PaymentStore(db.sql);
  const sessions = new SessionStore(db.sql);
  const translator = createTranslator(options.localesDir ?? LOCALES_DIR);
  const engine = buildEngine({ people, payments, identificationGuard: new IdentificationGuard(db.sql), clock, config }, secret, config, options.flowsDir ?? FLOWS_DIR, translator);
  const outboxText = new OutboxText(db.sql, translator.translate);
  const escalations = new EscalationDesk({ sql: db.sql, events: new EscalationEvents(), people, payments, clock });
  // Other instances on the same database: their changes reach this instance's console pages.
  escalations.relay.start();
  const notices = new NoticeBoard(db.sql, outboxText, translator.translate, escalations.outboxSettled);
  const conversations = new ConversationService(
    engine,
    db.sql,
    sessions,
    new EffectWriter(
      db.sql,
      sessions,
      (id) => escalations.opened(id),
      (channel, externalId, topic, now) => escalations.askedAgain(channel, externalId, topic, now),
    ),
    clock,
    config.sessionIdleMinutes,
    notices,
    new OperatorOwnership({
      sql: db.sql,
      globals: engine.globals,
      translate: translator.translate,
      sessions,
      events: escalations.events,
      defaultLocale: config.defaultLocale,
      notices,
    }),
  );
  // With REDIS_URL the instances of a deployment share their send rates (each sender opens its own
  // connections), and readiness checks Redis on one more, which fails at once rather than queue.
  const redisUrl = config.redisUrl;
  const sharedLimits = redisUrl ? { connect: () => openRedis(redisUrl, "rate limits"), keyPrefix: config.redisKeyPrefix } : null;
  const redis = redisUrl ? openRedis(redisUrl, "readiness", { enableOfflineQueue: false, maxRetriesPerRequest: 0 }) : null;
  const chatDeps = { config, conversations, inboundLog: new InboundLog(db.sql), sql: db.sql, clock, sharedLimits };
  const smsProvider = createSmsProvider(config.sms, config.publicUrl);
  // One sender for SMS: the answers to people's messages and the outbox's messages share the provider's rate.
  const sms = smsProvider ? { provider: smsProvider, sender: new ChannelSender("sms", config.sms.limits, sharedLimits) } : null;
  const chatChannels = [
    ...(config.telegram.token ? [createTelegramChannel(chatDeps)] : []),
    ...(config.zalo.token ? [createZaloChannel(chatDeps)] : []),
    ...(sms ? [createSmsChannel(sms.provider, sms.sender, chatDeps, translator.translate)] : []),
  ];
  const voiceOutbound = createVoiceOutbound({ config: config.voice, publicUrl: config.publicUrl, smsFallback: Boolean(sms), sql: db.sql, outboxText, translate: translator.translate, clock });
  const notifiers = new Map<string, Notify>(chatChannels.map((c) => [c.channel, (to: string, text: string) => c.adapter.notify(to, text)]));
  // The outbox's SMS go through smsNotify instead (the outbox's request id, the text folded for SMS).
  const sentence = (locale: string, key: string) => String(translator.i18n.getResource(locale, NAMESPACE, key) ?? "");
  // Brandname SMS (eSMS) carries registered templates only. A broadcast (free text) that none matches
  // is not queued by SMS at all (see queueBroadcast); anything else is refused before it is sent.
  const smsCarries = config.sms.provider === "esms" ? carriedBy(smsTemplates(sentence, translator.locales)) : undefined;
  const unregistered = smsCarries ? refuseUnregistered(smsCarries) : undefined;
  if (sms) notifiers.set("sms", smsNotify(sms.provider, sms.sender, unregistered));
  if (voiceOutbound) notifiers.set(VOICE_CHANNEL, voiceOutbound.notify);
  const outbox = new OutboxSender(db.sql, notifiers, outboxText, clock, {
    workers: config.outbox.workers,
    leaseMs: config.outbox.leaseSeconds * 1000,
    quietHours: parseQuietHours(config.outbox.quietHours),
    maxAttempts: config.outbox.maxAttempts,
    senderId: `${process.pid}-${Date.now().toString(36)}`,
    onSettled: escalations.outboxSettled,
  });
  const reminders = { ...config.reminders };
  if (sms) await syncSmsIdentities(db.sql, clock());
  return {
    config,
    db,
    engine,
    conversations,
    sessions,
    ussd: new UssdChannel(conversations, config.ussdScreenLimit),
    voiceOutbound,
    voice: createVoiceChannel({ config: config.voice, conversations, translate: translator.translate, escalations, clock }),
    chatChannels,
    sms,
    escalations,
    outbox,
    planReminders: async (now = clock()) => {
      // People added to the lists since the last planning get their SMS identity first.
      if (sms) await syncSmsIdentities(db.sql, now);
      return planReminders(db.sql, reminders, now);
    },
    broadcasts: createBroadcasts({ sql: db.sql, translate: translator.translate, ussdScreenLimit: config.ussdScreenLimit, noticeRenderers, clock, smsPricePerSegment: config.sms.pricePerSegment, smsCarries }),
    readiness: createReadiness({ database: () => db.ping(), ...(redis ? { redis: () => redis.ping() } : {}) }),
    secret,
    clock,
    async close() {
      await escalations.relay.stop();
      await outbox.stop();
      await voiceOutbound?.stop();
      // SMS among them: its runtime stops the SMS sender, after the outbox (which sends through it too).
      for (const channel of chatChannels) await channel.stop();
      redis?.disconnect();
      await db.close();
    },
  };
}
