import type { ChatChannelDeps, ChatChannelRuntime } from "../chat/chatChannelRuntime.ts";

/** The Zalo channel, when its token is configured. */
export function createZaloChannel(_deps: ChatChannelDeps): ChatChannelRuntime {
  throw new Error("the zalo channel is being built");
}
