import type { ScreenRenderer } from "../domain/conversationService.ts";

/**
 * What every channel is to the rest of the service: a name, a renderer that turns the engine's
 * channel-neutral screen into what the platform shows, and, where the platform can push, a way to
 * send a message the bot starts itself. USSD cannot push: its messages wait on the notice board
 * for the next dial. Adding a channel adds one of these; the engine and the flows do not change.
 */
export interface ChannelAdapter<Output> {
  readonly channel: string;
  readonly renderer: ScreenRenderer<Output>;
  /** Sends text the bot starts itself (a reminder, an operator's answer); absent where nothing can be pushed. */
  notify?(userId: string, text: string): Promise<void>;
}
