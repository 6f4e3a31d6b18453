/**
 * Diagnosis, not a figure of issue 8: does the chat path keep memory per update? Runs the service
 * in this process on a fresh SQLite file, with Telegram answered by the bench's fake Bot API,
 * sends rounds of updates from N chats (default 1,000) through the same path a webhook takes
 * (ChatInbound.receive), and prints the JavaScript heap after a full garbage collection each round.
 *
 *   node --expose-gc --import tsx bench/chat-heap.ts [chats]
 *
 * A heap that grows round after round is a leak; RSS alone is not (V8 and the allocator keep
 * memory they have used).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startFakeBotApi } from "./lib/fakeBotApi.ts";
import { freePort } from "./lib/children.ts";
import { createServices } from "../src/services.ts";
import { loadDemoDataIfEmpty } from "../src/demo/loadDemoData.ts";

process.env.ANSINH_SECRET = "probe";
process.env.LOG_LEVEL = "error";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-chat-heap-"));
let sent = 0;
const api = await startFakeBotApi({ port: await freePort(), telegramToken: "1:T", zaloToken: "Z", onSend: () => sent++ });
const services = await createServices({
  config: {
    databaseUrl: `file:${dir}/p.db`,
    telegram: { token: "1:T", apiRoot: api.url, webhookSecret: "s", limits: { perSecond: 1000, perChatPerSecond: 100, maxRetries: 0, backoffMs: 10 } },
  } as never,
});
await loadDemoDataIfEmpty(services);
const chat = services.chatChannels[0];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc --import tsx bench/chat-heap.ts");
const gcMb = () => {
  gc();
  const m = process.memoryUsage();
  return `heapUsed ${(m.heapUsed / 1048576).toFixed(0)} MiB, rss ${(m.rss / 1048576).toFixed(0)} MiB`;
};
let id = 1;
const CHATS = Number(process.argv[2] ?? 1000);
for (let round = 0; round < 8; round++) {
  const handled: Promise<void>[] = [];
  for (let c = 0; c < CHATS; c++) {
    const update = { update_id: id++, message: { message_id: id, date: 1, chat: { id: 5000 + c, type: "private" }, from: { id: 5000 + c, is_bot: false, first_name: "x" }, text: round === 0 ? "xin chào" : String((round % 3) + 1) } };
    handled.push((await chat.inbound.receive(update)).handled);
  }
  await Promise.all(handled);
  console.log(`round ${round}: ${id - 1} updates, ${sent} sent, ${gcMb()}`);
}
await services.close();
await api.close();
fs.rmSync(dir, { recursive: true, force: true });
