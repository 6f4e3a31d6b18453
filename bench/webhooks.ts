/**
 * Telegram and Zalo updates end to end: the real service (`node bin/ansinh.mjs serve --no-demo`)
 * on a fresh SQLite database receives updates by webhook (POST /webhooks/telegram and
 * /webhooks/zalo with the secret headers) and answers through a fake Bot API on 127.0.0.1 (in
 * this process, bench/lib/fakeBotApi.ts). Every chat is linked to an imported beneficiary, so
 * the conversation reaches the payment status: "xin chào" → main menu, then in turn
 * "Xem tiền trợ cấp" (this period's payment) → "Các kỳ trước" (earlier periods) → "Về menu chính".
 * An answer is the first sendMessage to the chat after its update was posted; it must contain
 * the words the step shows, or it is counted as "unexpected".
 *
 *   npm run bench:webhooks                 (per channel: closed loop 50 chats 15 s, open loop 200/s 10 s over 1,000 chats)
 *   npm run bench:webhooks -- --quick      short runs, to check the bench works
 *   options: --chats 1000 --concurrency 50 --seconds 15 --rate 200 --open-seconds 10 --json <file>
 *
 * Latency: from the moment the update's POST is written to the moment the answer's sendMessage
 * reaches the fake server (the webhook answers 200 once the update is recorded; the conversation
 * runs after). Closed loop: each chat sends its next message when its previous answer arrived.
 * Open loop: updates sent at evenly spaced times, round-robin over the chats, skipping a chat whose
 * previous answer has not arrived yet (counted as "skipped").
 * Send limits are raised (TELEGRAM/ZALO_RATE_PER_SECOND 1000, _RATE_PER_CHAT 100) so that they
 * are not what is measured.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../src/db/database.ts";
import { sqlTimestamp } from "../src/db/sql/sqlTimestamp.ts";
import { loadSecret } from "../src/shared/secrets.ts";
import { cpuSeconds, freePort, machineBusySeconds, rssMiB, startChild, type Child } from "./lib/children.ts";
import { startFakeBotApi } from "./lib/fakeBotApi.ts";
import { describeMachine, fmt, percentile, runBench, sleep, sorted, table } from "./lib/machine.ts";
import { loadBenchBeneficiaries } from "./lib/paymentList.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const QUICK = args.includes("--quick");
const CHATS = option("chats", QUICK ? 200 : 1000);
/** Chats talking at once in the closed loop (the first ones); the open loop goes round all CHATS. */
const CONCURRENCY = Math.min(CHATS, option("concurrency", QUICK ? 20 : 50));
const CLOSED_SECONDS = option("seconds", QUICK ? 3 : 15);
const WARMUP_SECONDS = QUICK ? 1 : 3;
const OPEN_RATE = option("rate", QUICK ? 100 : 200);
const OPEN_SECONDS = option("open-seconds", QUICK ? 3 : 10);
const JSON_OUT = args.includes("--json") ? args[args.indexOf("--json") + 1] : null;
/** An answer that has not arrived after this long is an error (and the chat moves on). */
const ANSWER_TIMEOUT_MS = 10_000;
const PAUSE_MS = QUICK ? 300 : 2000;

const TELEGRAM_TOKEN = "123456:bench-telegram-token";
const ZALO_TOKEN = "bench-zalo-token";
const TELEGRAM_SECRET = randomBytes(16).toString("hex");
const ZALO_SECRET = randomBytes(16).toString("hex");
const TELEGRAM_CHAT_BASE = 700_000_000;

type Channel = "telegram" | "zalo";

/** The steps of a chat's journey after its first message: what it types and words the answer must contain. */
const GREETING = { text: "xin chào", expect: "AnSinh - " };
const JOURNEY = [
  { text: "Xem tiền trợ cấp", expect: "Kỳ " },
  { text: "Các kỳ trước", expect: "Các kỳ gần đây" },
  { text: "Về menu chính", expect: "AnSinh - " },
];

interface Chat {
  channel: Channel;
  index: number;
  id: string;
  step: number; // -1: greeting next
  pending: { sentAt: number; expect: string } | null;
}

/** What one phase counted. */
class Tally {
  latencies: number[] = [];
  unexpected = 0;
  postErrors = 0;
  timeouts = 0;
  extraMessages = 0;
  sent = 0;
  skipped = 0;
  firstUnexpected: string[] = [];
}

const zaloId = (i: number) => `bench${(0x1000000 + i).toString(16)}`;

function updateBody(chat: Chat, text: string, serial: number): string {
  if (chat.channel === "telegram") {
    const id = Number(chat.id);
    return JSON.stringify({
      update_id: serial,
      message: { message_id: serial, date: Math.floor(Date.now() / 1000), chat: { id, type: "private", first_name: "Bench" }, from: { id, is_bot: false, first_name: "Bench" }, text },
    });
  }
  return JSON.stringify({
    event_name: "message.text.received",
    message: { message_id: `m${serial}`, date: Date.now(), from: { id: chat.id, display_name: "Bench", is_bot: false }, chat: { id: chat.id, chat_type: "PRIVATE" }, text },
  });
}

async function linkIdentities(url: string, count: number): Promise<void> {
  const db = await openDatabase(url);
  try {
    const at = sqlTimestamp();
    const people = await db.sql.all<{ id: number; code: string }>("SELECT id, code FROM Beneficiary ORDER BY code");
    if (people.length < count) throw new Error(`only ${people.length} beneficiaries imported, ${count} wanted`);
    await db.sql.transaction(async () => {
      for (let i = 0; i < count; i++) {
        for (const [channel, externalId] of [["telegram", String(TELEGRAM_CHAT_BASE + i)], ["zalo", zaloId(i)]] as const) {
          await db.sql.run(
            `INSERT INTO ChannelIdentity (channel, externalId, beneficiaryId, verification, verifiedAt, locale, remindersOn, createdAt, updatedAt)
             VALUES (?, ?, ?, 'citizen_id_dob', ?, 'vi', TRUE, ?, ?)`,
            [channel, externalId, people[i].id, at, at, at],
          );
        }
      }
    });
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const command = process.env.npm_lifecycle_event
    ? `npm run ${process.env.npm_lifecycle_event}${args.length ? ` -- ${args.join(" ")}` : ""}`
    : `npx tsx bench/webhooks.ts ${args.join(" ")}`.trim();
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: ${command}`);
  console.log(`date: ${new Date().toISOString()}, load average before the run: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`load generator and fake Bot API: this process, sharing the ${os.cpus().length} cores with the service`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ansinh-bench-webhooks-"));
  let service: Child | null = null;
  let fake: Awaited<ReturnType<typeof startFakeBotApi>> | null = null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  try {
    const secretText = `bench-${randomBytes(8).toString("hex")}`;
    process.env.ANSINH_SECRET = secretText;
    process.env.LOG_LEVEL ??= "warn";
    const databaseUrl = `file:${path.join(dir, "ansinh.db")}`;
    const loaded = await loadBenchBeneficiaries(databaseUrl, dir, CHATS, loadSecret(dir));
    await linkIdentities(databaseUrl, CHATS);
    console.log(`data: ${fmt.int(CHATS)} beneficiaries (${fmt.int(loaded.payments)} payments over 3 periods), each linked to one Telegram and one Zalo chat`);

    // ---- Chats and the fake Bot API: an answer settles the chat's pending update.
    const chats = new Map<string, Chat>();
    const byChannel: Record<Channel, Chat[]> = { telegram: [], zalo: [] };
    for (let i = 0; i < CHATS; i++) {
      for (const channel of ["telegram", "zalo"] as const) {
        const chat: Chat = { channel, index: i, id: channel === "telegram" ? String(TELEGRAM_CHAT_BASE + i) : zaloId(i), step: -1, pending: null };
        chats.set(`${channel}:${chat.id}`, chat);
        byChannel[channel].push(chat);
      }
    }
    let tally = new Tally();
    let onAnswer: ((chat: Chat) => void) | null = null;
    const fakePort = await freePort();
    fake = await startFakeBotApi({
      port: fakePort,
      telegramToken: TELEGRAM_TOKEN,
      zaloToken: ZALO_TOKEN,
      onSend: (channel, chatId, text, arrivedAt) => {
        const chat = chats.get(`${channel}:${chatId}`);
        if (!chat?.pending) {
          tally.extraMessages++;
          return;
        }
        tally.latencies.push(arrivedAt - chat.pending.sentAt);
        if (!text.includes(chat.pending.expect)) {
          tally.unexpected++;
          if (tally.firstUnexpected.length < 3) tally.firstUnexpected.push(`${channel} expected "${chat.pending.expect}", got ${JSON.stringify(text.slice(0, 120))}`);
        }
        chat.pending = null;
        chat.step = (chat.step + 1) % JOURNEY.length;
        onAnswer?.(chat);
      },
    });

    // ---- The service, in webhook mode (PUBLIC_URL set), calling the fake for everything.
    const servicePort = await freePort();
    service = await startChild({
      name: "ansinh serve",
      cwd: ROOT,
      args: ["bin/ansinh.mjs", "serve", "--no-demo"],
      env: {
        DATABASE_URL: databaseUrl,
        ANSINH_SECRET: secretText,
        LOG_LEVEL: "warn",
        DEMO_DATA: "off",
        PUBLIC_URL: `http://127.0.0.1:${servicePort}`,
        TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
        TELEGRAM_RATE_PER_SECOND: "1000",
        TELEGRAM_RATE_PER_CHAT: "100",
        ZALO_BOT_TOKEN: ZALO_TOKEN,
        ZALO_API_ROOT: fake.url,
        ZALO_WEBHOOK_SECRET: ZALO_SECRET,
        ZALO_RATE_PER_SECOND: "1000",
        ZALO_RATE_PER_CHAT: "100",
      },
      port: servicePort,
    });
    const svc = service;
    const rssIdle = rssMiB(svc.pid);
    console.log(`service: pid ${svc.pid}, port ${svc.port}, RSS idle ${rssIdle.toFixed(0)} MiB; fake Bot API on port ${fakePort}`);

    let serial = 1;
    const post = (chat: Chat) => {
      const step = chat.step < 0 ? GREETING : JOURNEY[chat.step];
      const body = updateBody(chat, step.text, serial++);
      const headers: http.OutgoingHttpHeaders = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
      if (chat.channel === "telegram") headers["x-telegram-bot-api-secret-token"] = TELEGRAM_SECRET;
      else headers["x-bot-api-secret-token"] = ZALO_SECRET;
      const req = http.request({ host: "127.0.0.1", port: svc.port, method: "POST", path: `/webhooks/${chat.channel}`, headers, agent }, (res) => {
        res.resume();
        if (res.statusCode !== 200) {
          tally.postErrors++;
          chat.pending = null;
        }
      });
      req.on("error", () => {
        tally.postErrors++;
        chat.pending = null;
      });
      req.end(body);
      chat.pending = { sentAt: performance.now(), expect: step.expect };
      tally.sent++;
    };
    /** Answers that never came: counted, and the chat is free again. */
    const sweep = () => {
      const now = performance.now();
      for (const chat of chats.values()) {
        if (chat.pending && now - chat.pending.sentAt > ANSWER_TIMEOUT_MS) {
          tally.timeouts++;
          chat.pending = null;
        }
      }
    };
    const settle = async () => {
      const deadline = Date.now() + ANSWER_TIMEOUT_MS;
      while ([...chats.values()].some((c) => c.pending) && Date.now() < deadline) await sleep(20);
      sweep();
    };

    // Every chat says hello first (unmeasured): it then sits at the main menu.
    const all = [...chats.values()];
    for (let at = 0; at < all.length; at += 100) {
      for (const chat of all.slice(at, at + 100)) post(chat);
      await settle();
    }
    if (tally.unexpected || tally.postErrors || tally.timeouts) {
      throw new Error(`the greetings failed: ${tally.unexpected} unexpected (${tally.firstUnexpected.join("; ")}), ${tally.postErrors} refused posts, ${tally.timeouts} unanswered\n${svc.stderrTail()}`);
    }

    const measure = async <T>(run: () => Promise<T>) => {
      const cpu0 = cpuSeconds(svc.pid);
      const self0 = process.cpuUsage();
      const busy0 = machineBusySeconds();
      const t0 = performance.now();
      const result = await run();
      const seconds = (performance.now() - t0) / 1000;
      const serverCpu = (cpuSeconds(svc.pid) - cpu0) / seconds;
      const selfUsage = process.cpuUsage(self0);
      const generatorCpu = (selfUsage.user + selfUsage.system) / 1e6 / seconds;
      const otherCpu = Math.max(0, (machineBusySeconds() - busy0) / seconds - serverCpu - generatorCpu);
      return { result, seconds, serverCpu, generatorCpu, otherCpu };
    };

    const closedLoop = async (channel: Channel, seconds: number) => {
      tally = new Tally();
      let running = true;
      onAnswer = (chat) => {
        if (running && chat.channel === channel) setImmediate(() => running && post(chat));
      };
      for (const chat of byChannel[channel].slice(0, CONCURRENCY)) post(chat);
      const sweeper = setInterval(sweep, 1000);
      await sleep(seconds * 1000);
      running = false;
      clearInterval(sweeper);
      onAnswer = null;
      const t = tally;
      await settle(); // answers still due are not counted in this phase's figures
      return t;
    };

    const openLoop = async (channel: Channel, rate: number, seconds: number) => {
      tally = new Tally();
      onAnswer = null;
      const list = byChannel[channel];
      let cursor = 0;
      let due = 0;
      const started = performance.now();
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const elapsed = (performance.now() - started) / 1000;
          const target = Math.floor(Math.min(elapsed, seconds) * rate);
          while (due < target) {
            due++;
            const chat = list[cursor];
            cursor = (cursor + 1) % list.length;
            if (chat.pending) tally.skipped++;
            else post(chat);
          }
          if (elapsed >= seconds) {
            clearInterval(timer);
            resolve();
          }
        }, 1);
      });
      const t = tally;
      await settle();
      return t;
    };

    const rows: (string | number)[][] = [];
    const results: Record<string, unknown> = { machine: describeMachine(), command, date: new Date().toISOString(), config: { chats: CHATS, concurrency: CONCURRENCY, closedSeconds: CLOSED_SECONDS, openRate: OPEN_RATE, openSeconds: OPEN_SECONDS } };
    const cpuCell = (m: { serverCpu: number; generatorCpu: number; otherCpu: number }) =>
      `${m.serverCpu.toFixed(2)} / ${m.generatorCpu.toFixed(2)} / ${m.otherCpu.toFixed(2)}${m.otherCpu > 0.2 ? " !" : ""}`;
    const errorsOf = (t: Tally) => t.postErrors + t.timeouts;
    for (const channel of ["telegram", "zalo"] as const) {
      await closedLoop(channel, WARMUP_SECONDS);
      await sleep(PAUSE_MS);
      const closed = await measure(() => closedLoop(channel, CLOSED_SECONDS));
      const cl = sorted(closed.result.latencies);
      const perSecond = closed.result.latencies.length / CLOSED_SECONDS;
      console.log(
        `${channel} closed loop, ${CONCURRENCY} chats: ${fmt.int(perSecond)} updates/s, p50 ${fmt.ms(percentile(cl, 50))} ms, p99 ${fmt.ms(percentile(cl, 99))} ms, ` +
          `errors ${errorsOf(closed.result)}, unexpected ${closed.result.unexpected}, extra messages ${closed.result.extraMessages}; CPU service ${cpuCell(closed)}`,
      );
      for (const line of closed.result.firstUnexpected) console.log(`  ${line}`);
      rows.push([`${channel}, closed loop ${CONCURRENCY} chats`, fmt.int(perSecond), fmt.ms(percentile(cl, 50)), fmt.ms(percentile(cl, 99)), fmt.ms(cl[cl.length - 1]), errorsOf(closed.result), closed.result.unexpected, "-", cpuCell(closed)]);
      await sleep(PAUSE_MS);
      const open = await measure(() => openLoop(channel, OPEN_RATE, OPEN_SECONDS));
      const ol = sorted(open.result.latencies);
      const achieved = open.result.latencies.length / OPEN_SECONDS;
      console.log(
        `${channel} open loop @ ${OPEN_RATE}/s: answered ${fmt.int(achieved)}/s, p50 ${fmt.ms(percentile(ol, 50))} ms, p99 ${fmt.ms(percentile(ol, 99))} ms, ` +
          `errors ${errorsOf(open.result)}, unexpected ${open.result.unexpected}, skipped ${open.result.skipped}; CPU service ${cpuCell(open)}`,
      );
      for (const line of open.result.firstUnexpected) console.log(`  ${line}`);
      rows.push([`${channel}, open loop @ ${OPEN_RATE}/s`, fmt.int(achieved), fmt.ms(percentile(ol, 50)), fmt.ms(percentile(ol, 99)), fmt.ms(ol[ol.length - 1]), errorsOf(open.result), open.result.unexpected, open.result.skipped, cpuCell(open)]);
      results[channel] = {
        closed: { updatesPerSecond: perSecond, p50: percentile(cl, 50), p99: percentile(cl, 99), errors: errorsOf(closed.result), unexpected: closed.result.unexpected, serverCpu: closed.serverCpu },
        open: { rate: OPEN_RATE, answeredPerSecond: achieved, p50: percentile(ol, 50), p99: percentile(ol, 99), errors: errorsOf(open.result), skipped: open.result.skipped, serverCpu: open.serverCpu },
      };
      await sleep(PAUSE_MS);
    }
    const rss = rssMiB(svc.pid);
    console.log("");
    console.log(
      `Webhook updates end to end (POST written → answer's sendMessage at the fake Bot API); closed loop ${CLOSED_SECONDS} s after ${WARMUP_SECONDS} s warm-up, ` +
        `open loop ${OPEN_SECONDS} s round-robin over ${fmt.int(CHATS)} chats`,
    );
    console.log(table(["channel, loop", "updates/s", "p50 ms", "p99 ms", "max ms", "errors", "unexpected", "skipped", "CPU cores: service / generator+fake / other"], rows));
    console.log(`"!": other processes used more than 0.2 of a core during that phase; its figures are not comparable`);
    console.log(`service RSS: ${rssIdle.toFixed(0)} MiB idle, ${rss.toFixed(0)} MiB at the end`);
    results.rssMiB = { idle: rssIdle, end: rss };
    if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
  } finally {
    agent.destroy();
    await service?.stop();
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runBench(main);
