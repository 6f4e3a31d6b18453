import type { ChatAdapter, ChatEvent } from "../chat/chatAdapter.ts";
import type { ChannelSender } from "../outbound/channelSender.ts";
import type { ZaloClient } from "./zaloClient.ts";
import { normalizeZaloUpdate } from "./normalizeZaloUpdate.ts";
import { splitZaloText, zaloRenderer } from "./renderZaloReply.ts";
import { ZALO_CHANNEL, type ZaloUpdate } from "./zaloTypes.ts";

/** Answers whose delivery broke off part-way that are remembered, so a retry does not resend the parts already out. */
const MAX_REMEMBERED_PARTIAL = 1000;

/**
 * Zalo's side of the chat plumbing: updates in, numbered-text messages out, every send through the
 * rate-limited, retrying sender (per chat, in order).
 */
export class ZaloAdapter implements ChatAdapter<ZaloUpdate, string[]> {
  readonly channel = ZALO_CHANNEL;
  readonly renderer = zaloRenderer;
  /** updateKey → messages of its answer already sent, for answers whose delivery failed part-way. */
  private readonly partlySent = new Map<string, number>();

  constructor(
    private readonly client: ZaloClient,
    private readonly sender: ChannelSender,
  ) {}

  normalize(update: ZaloUpdate): ChatEvent | null {
    return normalizeZaloUpdate(update);
  }

  async deliver(event: ChatEvent, messages: string[]): Promise<void> {
    let sent = this.partlySent.get(event.updateKey) ?? 0;
    try {
      for (; sent < messages.length; sent++) await this.send(event.userId, messages[sent]);
      this.partlySent.delete(event.updateKey);
    } catch (error) {
      // The update is retried later from the inbound log; the person should not get part 1 twice.
      if (sent > 0) this.remember(event.updateKey, sent);
      throw error;
    }
  }

  async notify(userId: string, text: string): Promise<void> {
    for (const part of splitZaloText(text)) await this.send(userId, part);
  }

  private send(chatId: string, text: string): Promise<unknown> {
    return this.sender.send(chatId, "sendMessage", () => this.client.sendMessage({ chat_id: chatId, text }));
  }

  private remember(updateKey: string, sent: number): void {
    this.partlySent.delete(updateKey);
    this.partlySent.set(updateKey, sent);
    if (this.partlySent.size > MAX_REMEMBERED_PARTIAL) this.partlySent.delete(this.partlySent.keys().next().value!);
  }
}
