import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ChannelSender } from "../../src/channels/outbound/channelSender.ts";
import { FakeTelegramServer } from "../helpers/fakeTelegramServer.ts";
import { busiestSecond } from "../helpers/busiestSecond.ts";
import { describeNeeding, TEST_REDIS_URL as REDIS_URL } from "../helpers/externalServices.ts";
import { startTestServer } from "../helpers/testServer.ts";

// Two senders in one process stand for two instances: each has its own Bottleneck limiters and
// its own Redis connections, and they share only what is in Redis, as two machines would.
const PREFIX = `ansinh-test-${randomBytes(6).toString("hex")}`;
const LIMITS = { perSecond: 20, perChatPerSecond: 1, maxRetries: 0, backoffMs: 10 };

let platform: http.Server;
let platformUrl: string;
const arrivals: { chat: string; at: number }[] = [];
const senders: ChannelSender[] = [];
const redis = new Redis(REDIS_URL, { lazyConnect: true });

beforeAll(async () => {
  await redis.connect();
  platform = http.createServer((req, res) => {
    arrivals.push({ chat: new URL(req.url ?? "/", "http://x").searchParams.get("chat") ?? "", at: Date.now() });
    res.end("{}");
  });
  await new Promise<void>((resolve) => platform.listen(0, "127.0.0.1", resolve));
  platformUrl = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
  // Open the HTTP connections first: a first call that waits for its connection arrives late and
  // bunches with the next, which says something about TCP, not about the limiter under test.
  await Promise.all(chats("warm", 4).map((chat) => fetch(`${platformUrl}/send?chat=${chat}`).then((r) => r.text())));
});
afterAll(async () => {
  for (const sender of senders) await sender.stop();
  // Every key this run made, and nothing else.
  const keys = await redis.keys(`b_${PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await new Promise((resolve) => platform.close(resolve));
});

function instance(shared: boolean, run: string): ChannelSender {
  const sender = new ChannelSender("telegram", LIMITS, shared ? { connect: () => new Redis(REDIS_URL), keyPrefix: `${PREFIX}-${run}` } : null);
  senders.push(sender);
  return sender;
}

/** Sends one message per chat through `sender`, all queued at once; resolves when every one arrived. */
function burst(sender: ChannelSender, chats: string[]): Promise<unknown> {
  return Promise.all(chats.map((chat) => sender.send(chat, "sendMessage", () => fetch(`${platformUrl}/send?chat=${chat}`).then((r) => r.text()))));
}

/**
 * Runs `work` and returns the longest this process stalled meanwhile (ms). Bottleneck gives each
 * call its slot in advance; a process that stalls (on this machine other work shares the 2 cores)
 * makes the calls whose slots passed meanwhile together when it wakes, and they arrive closer than
 * their slots. The limiter cannot see that; a platform would. The checks allow for that much.
 */
async function longestStallMs(work: () => Promise<unknown>): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  try {
    await work();
  } finally {
    delay.disable();
  }
  return delay.max / 1e6;
}

/**
 * Calls a stall of `ms` may have bunched into one second, plus one for the delays no process-level
 * measure sees (Redis answering late, the request on its way).
 */
const bunched = (ms: number) => Math.ceil(ms / (1000 / LIMITS.perSecond)) + 1;

const chats = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);
const arrivedFor = (tag: string) => arrivals.filter((a) => a.chat.startsWith(`${tag}-`));

describeNeeding(["redis"], "send rates shared through Redis", () => {
  it("keeps two instances together within the channel's rate over every second", async () => {
    const [a, b] = [instance(true, "overall"), instance(true, "overall")];
    const started = Date.now();
    const allowance = bunched(await longestStallMs(() => Promise.all([burst(a, chats("sa", 30)), burst(b, chats("sb", 30))])));
    const times = [...arrivedFor("sa"), ...arrivedFor("sb")].map((x) => x.at);
    expect(times).toHaveLength(60);
    expect(allowance, "this process stalled too long for the measure to mean anything").toBeLessThan(LIMITS.perSecond / 2);
    expect(busiestSecond(times)).toBeLessThanOrEqual(LIMITS.perSecond + allowance);
    // Not starved either: 60 messages at 20/s take about 3 s (6 s would mean each had half the rate).
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(busiestSecond(times)).toBeGreaterThanOrEqual(LIMITS.perSecond - 2);
  });

  it("(control) without Redis, two instances each keep only their own count and together exceed it", async () => {
    const [a, b] = [instance(false, "local"), instance(false, "local")];
    const allowance = bunched(await longestStallMs(() => Promise.all([burst(a, chats("la", 30)), burst(b, chats("lb", 30))])));
    expect(busiestSecond([...arrivedFor("la"), ...arrivedFor("lb")].map((x) => x.at))).toBeGreaterThan(LIMITS.perSecond + allowance);
  });

  it("spaces the messages to one chat by a second even when two instances send them", async () => {
    const [a, b] = [instance(true, "chat"), instance(true, "chat")];
    await Promise.all([burst(a, ["pc-1", "pc-1"]), burst(b, ["pc-1", "pc-1"])]);
    const times = arrivedFor("pc").map((x) => x.at).sort((x, y) => x - y);
    expect(times).toHaveLength(4);
    // Slots 1000 ms apart; a late one arrives a little closer to the next (see longestStallMs).
    // Without Redis the two instances would send theirs at the same moment.
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(800);
  });

  it("is what the service's chat senders use when REDIS_URL is set", async () => {
    const telegram = await FakeTelegramServer.start();
    const keyPrefix = `${PREFIX}-service`;
    const server = await startTestServer({
      demo: false,
      config: {
        redisUrl: REDIS_URL,
        redisKeyPrefix: keyPrefix,
        telegram: { token: telegram.token, apiRoot: telegram.apiRoot, webhookSecret: null, limits: LIMITS },
      },
    });
    try {
      await server.services.chatChannels[0].adapter.notify("4242", "Xin chào");
      expect(telegram.delivered(4242)).toHaveLength(1);
      const settings = await redis.hgetall(`b_${keyPrefix}:telegram:all_settings`);
      expect(Number(settings.minTime)).toBeCloseTo(1000 / (LIMITS.perSecond * 0.97), 3);
      expect(await redis.exists(`b_${keyPrefix}:telegram:chat-4242_settings`)).toBe(1);
    } finally {
      await server.close();
      await telegram.close();
    }
  });
});
