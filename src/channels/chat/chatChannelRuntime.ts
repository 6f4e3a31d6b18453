import type { Sql } from "../../db/sql/sql.ts";
import type { RequestHandler } from "express";
import type { Config } from "../../config.ts";
import type { ConversationService } from "../../domain/conversationService.ts";
import type { SharedLimits } from "../outbound/channelSender.ts";
import type { ChatAdapter } from "./chatAdapter.ts";
import type { ChatInbound } from "./chatInbound.ts";
import type { InboundLog } from "./inboundLog.ts";

/** What a chat channel needs from the service around it. */
export interface ChatChannelDeps {
  config: Config;
  conversations: ConversationService;
  inboundLog: InboundLog;
  sql: Sql;
  clock: () => Date;
  /** Where the send rates are kept when several instances share them (REDIS_URL); absent: in this process. */
  sharedLimits?: SharedLimits | null;
}

/** A configured chat channel, as the service runs it. */
export interface ChatChannelRuntime {
  readonly channel: string;
  readonly adapter: ChatAdapter<any, any>;
  readonly inbound: ChatInbound<any, any>;
  /** POST /webhooks/<channel>: checks the secret and the body, records the update, answers 200 at once. */
  readonly webhook: RequestHandler;
  /** Registers the webhook when PUBLIC_URL is set; otherwise starts long polling. */
  start(): Promise<void>;
  /** Stops polling and sending. */
  stop(): Promise<void>;
}
