import type { ChatChannelDeps, ChatChannelRuntime } from "../chat/chatChannelRuntime.ts";

/** The Telegram channel, when its token is configured. */
export function createTelegramChannel(_deps: ChatChannelDeps): ChatChannelRuntime {
  throw new Error("the telegram channel is being built");
}
