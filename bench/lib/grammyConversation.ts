import { conversations, createConversation, type Conversation, type ConversationFlavor } from "@grammyjs/conversations";
import { Bot, type Context, type Transformer } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { levelScreen, SIX_LEVELS } from "./sixLevelMenu.ts";

/**
 * The same six-level menu as a grammY conversation (@grammyjs/conversations 2): a function that
 * awaits each answer. The plugin resumes it by replaying the function from the start with every
 * update received so far, so an update at depth d re-runs d-1 earlier waits first.
 *
 * No network: the bot has its identity given (no getMe) and a transformer answers every Bot API
 * call locally. To time many updates at one depth, the conversation's stored state is kept as it
 * was at that depth: reads hand out a copy of it, writes and deletes are ignored.
 */
type BenchContext = ConversationFlavor<Context>;

const BOT_INFO = {
  id: 1,
  is_bot: true,
  first_name: "AnSinh bench",
  username: "ansinh_bench_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

const CHAT = { id: 42, type: "private" as const, first_name: "Bench" };

function textUpdate(updateId: number, text: string): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_764_000_000,
      chat: CHAT,
      from: { id: 42, is_bot: false, first_name: "Bench" },
      text,
      ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] } : {}),
    },
  } as Update;
}

const NOT_A_CHOICE = "Chua hieu lua chon.";
const MAX_RETRIES = 100;

/** A call that sends `input` as the d-th answer, again and again, to a conversation at depth d. */
export async function grammyConversationAtDepth(depth: number, input: string): Promise<() => Promise<unknown>> {
  let frozen: unknown; // the stored state at `depth`, once frozen
  const store = new Map<string, unknown>();
  let sent = 0;
  let lastText = "";

  const bot = new Bot<BenchContext>("1:bench", { botInfo: BOT_INFO });
  const localApi: Transformer = async (_prev, method, payload) => {
    sent++;
    const text = (payload as { text?: string }).text ?? "";
    lastText = text;
    const result = method === "sendMessage" ? { message_id: 1_000 + sent, date: 1_764_000_000, chat: CHAT, text } : true;
    return { ok: true, result } as never;
  };
  bot.api.config.use(localApi);
  bot.use(
    conversations<BenchContext, BenchContext>({
      storage: {
        read: (key: string) => (frozen !== undefined ? structuredClone(frozen) : store.get(key)) as never,
        write: (key: string, state: unknown) => {
          if (frozen === undefined) store.set(key, state);
        },
        delete: (key: string) => {
          if (frozen === undefined) store.delete(key);
        },
      },
    }),
  );
  async function sixLevels(conversation: Conversation<BenchContext, BenchContext>, ctx: BenchContext) {
    await ctx.reply(levelScreen(1));
    for (let level = 1; level <= SIX_LEVELS; level++) {
      let answer = await conversation.waitFor("message:text");
      // Anything but 1, 2 or 3 shows the same level again with a hint (at most a few times).
      for (let tries = 0; !/^[123]$/.test(answer.message.text) && tries < MAX_RETRIES; tries++) {
        await answer.reply(`${NOT_A_CHOICE}\n${levelScreen(level)}`);
        answer = await conversation.waitFor("message:text");
      }
      const choice = answer.message.text; // remembered by the replay, as a real menu would keep it
      if (level < SIX_LEVELS) await answer.reply(levelScreen(level + 1));
      else await answer.reply(`Da ghi nhan lua chon ${choice}. Cam on.`);
    }
  }
  // Inside a conversation the plugin builds its own Api object, without the bot's transformers.
  bot.use(
    createConversation(sixLevels, {
      id: "six",
      plugins: [
        async (ctx, next) => {
          ctx.api.config.use(localApi);
          await next();
        },
      ],
    }),
  );
  bot.command("start", (ctx) => ctx.conversation.enter("six"));
  await bot.init();

  let updateId = 1;
  await bot.handleUpdate(textUpdate(updateId++, "/start"));
  for (let d = 1; d < depth; d++) await bot.handleUpdate(textUpdate(updateId++, "1"));
  const state = store.get(String(CHAT.id));
  if (state === undefined) throw new Error(`grammY conversation has no stored state at depth ${depth}`);
  frozen = structuredClone(state);

  await bot.handleUpdate(textUpdate(updateId++, input));
  const expected = input !== "1" ? NOT_A_CHOICE : depth < SIX_LEVELS ? `Muc ${depth + 1}/` : "Da ghi nhan";
  if (!lastText.startsWith(expected)) throw new Error(`grammY conversation at depth ${depth} answered "${lastText.slice(0, 30)}"`);
  return () => bot.handleUpdate(textUpdate(updateId++, input));
}
